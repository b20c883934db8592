import type { DashboardInput } from './editor-model.ts';
import { gridTemplate, widgetPlacement } from './grid.ts';
import { widgetTypeLabels } from './types.ts';

/** A small drawing of the grid (none for a grid the API would refuse) with each widget's box, as the dashboard will lay them out. */
export function GridPreview(props: {
  layout: DashboardInput['layout_config'];
  widgets: DashboardInput['widget_configs'];
}) {
  const valid =
    Number.isInteger(props.layout.rows) &&
    Number.isInteger(props.layout.columns) &&
    props.layout.rows > 0 &&
    props.layout.columns > 0 &&
    props.layout.rows <= 24 &&
    props.layout.columns <= 24;
  if (!valid) return null;
  return (
    <div class="grid-preview" style={gridTemplate(props.layout)} aria-hidden="true">
      {props.widgets.map((widget, index) => (
        <div key={index} class="grid-preview-cell" style={widgetPlacement(widget)}>
          {index + 1}. {widgetTypeLabels[widget.type]}
        </div>
      ))}
    </div>
  );
}
