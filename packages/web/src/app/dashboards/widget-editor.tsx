import { errorAt, splitNames } from './editor-model.ts';
import { Field } from './field.tsx';
import {
  type WidgetConfig,
  type WidgetOptions,
  type WidgetType,
  widgetTypeLabels,
  widgetTypes,
} from './types.ts';

const listTypes: readonly WidgetType[] = ['recent_anomalies', 'recent_insights', 'forecast'];
const kpiTypes: readonly WidgetType[] = ['kpi_summary', 'kpi_trend'];

/** `options` with `key` set, or removed when `value` is empty; `undefined` when nothing is left. Pure. */
function withOption<K extends keyof WidgetOptions>(
  options: WidgetOptions | undefined,
  key: K,
  value: WidgetOptions[K] | undefined,
): WidgetOptions | undefined {
  const next: WidgetOptions = { ...options };
  if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) delete next[key];
  else next[key] = value;
  return Object.keys(next).length === 0 ? undefined : next;
}

/** A number input's value: a number, or NaN for text that is not one (the API then names the field). */
const numberOf = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text));

/**
 * The fields of one widget of the editor: type, title, cell, size and the type's options, each
 * with the API's error for it.
 */
export function WidgetEditor(props: {
  index: number;
  widget: WidgetConfig;
  errors: ReadonlyMap<string, string>;
  onChange: (widget: WidgetConfig) => void;
  onRemove: () => void;
}) {
  const { widget, index, errors } = props;
  const at = `widget_configs[${index}]`;
  const set = (patch: Partial<WidgetConfig>) => props.onChange({ ...widget, ...patch });
  const setOptions = (options: WidgetOptions | undefined) => {
    const { options: _old, ...rest } = widget;
    props.onChange(options ? { ...rest, options } : rest);
  };
  const number = (
    path: string,
    label: string,
    value: number,
    update: (n: number) => void,
    alsoFor: string[] = [],
  ) => (
    <Field path={path} label={label} error={errorAt(errors, path, alsoFor)}>
      {(attributes) => (
        <input
          {...attributes}
          type="number"
          inputMode="numeric"
          value={Number.isNaN(value) ? '' : value}
          onInput={(e) => update(numberOf(e.currentTarget.value))}
        />
      )}
    </Field>
  );

  return (
    <fieldset class="widget-editor" data-widget-index={index}>
      <legend>
        Widget {index + 1}: {widgetTypeLabels[widget.type]}
      </legend>
      {errors.get(at) ? <p class="field-error">{errors.get(at)}</p> : null}
      <div class="field-row">
        <Field path={`${at}.type`} label="Type" error={errors.get(`${at}.type`)}>
          {(attributes) => (
            <select
              {...attributes}
              value={widget.type}
              onChange={(e) => set({ type: e.currentTarget.value as WidgetType })}
            >
              {widgetTypes.map((type) => (
                <option key={type} value={type}>
                  {widgetTypeLabels[type]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field path={`${at}.title`} label="Title (optional)" error={errors.get(`${at}.title`)}>
          {(attributes) => (
            <input
              {...attributes}
              value={widget.title ?? ''}
              onInput={(e) => {
                const { title: _old, ...rest } = widget;
                const title = e.currentTarget.value;
                props.onChange(title ? { ...rest, title } : rest);
              }}
            />
          )}
        </Field>
      </div>
      <div class="field-row">
        {number(
          `${at}.position.row`,
          'Row',
          widget.position.row,
          (row) => set({ position: { ...widget.position, row } }),
          [`${at}.position`],
        )}
        {number(`${at}.position.column`, 'Column', widget.position.column, (column) =>
          set({ position: { ...widget.position, column } }),
        )}
        {number(
          `${at}.size.width`,
          'Width',
          widget.size.width,
          (width) => set({ size: { ...widget.size, width } }),
          [`${at}.size`],
        )}
        {number(`${at}.size.height`, 'Height', widget.size.height, (height) =>
          set({ size: { ...widget.size, height } }),
        )}
      </div>
      <div class="field-row">
        {kpiTypes.includes(widget.type) ? (
          <Field
            path={`${at}.options.metrics`}
            label="Metric types (comma-separated; all when empty)"
            error={errorAt(errors, `${at}.options.metrics`, [`${at}.options.metrics[0]`])}
          >
            {(attributes) => (
              <input
                {...attributes}
                value={(widget.options?.metrics ?? []).join(', ')}
                placeholder="MTTA, MTTR, AVAILABILITY"
                onChange={(e) =>
                  setOptions(
                    withOption(widget.options, 'metrics', splitNames(e.currentTarget.value.toUpperCase())),
                  )
                }
              />
            )}
          </Field>
        ) : null}
        {listTypes.includes(widget.type) ? (
          <Field
            path={`${at}.options.limit`}
            label="How many (1 to 100)"
            error={errors.get(`${at}.options.limit`)}
          >
            {(attributes) => (
              <input
                {...attributes}
                type="number"
                value={widget.options?.limit ?? ''}
                placeholder="10"
                onInput={(e) =>
                  setOptions(
                    withOption(
                      widget.options,
                      'limit',
                      e.currentTarget.value === '' ? undefined : numberOf(e.currentTarget.value),
                    ),
                  )
                }
              />
            )}
          </Field>
        ) : null}
        {widget.type === 'recent_insights' ? (
          <Field
            path={`${at}.options.insight_type`}
            label="Insight type (all when empty)"
            error={errors.get(`${at}.options.insight_type`)}
          >
            {(attributes) => (
              <input
                {...attributes}
                value={widget.options?.insight_type ?? ''}
                onChange={(e) =>
                  setOptions(
                    withOption(widget.options, 'insight_type', e.currentTarget.value.trim().toUpperCase()),
                  )
                }
              />
            )}
          </Field>
        ) : null}
        {widget.type === 'heatmap' ? (
          <>
            <Field
              path={`${at}.options.heatmap_type`}
              label="Heatmap type"
              error={errors.get(`${at}.options.heatmap_type`)}
            >
              {(attributes) => (
                <input
                  {...attributes}
                  value={widget.options?.heatmap_type ?? ''}
                  placeholder="INCIDENT_FREQUENCY"
                  onChange={(e) =>
                    setOptions(
                      withOption(widget.options, 'heatmap_type', e.currentTarget.value.trim().toUpperCase()),
                    )
                  }
                />
              )}
            </Field>
            <Field
              path={`${at}.options.time_granularity`}
              label="Granularity"
              error={errors.get(`${at}.options.time_granularity`)}
            >
              {(attributes) => (
                <input
                  {...attributes}
                  value={widget.options?.time_granularity ?? ''}
                  placeholder="HOURLY"
                  onChange={(e) =>
                    setOptions(
                      withOption(
                        widget.options,
                        'time_granularity',
                        e.currentTarget.value.trim().toUpperCase(),
                      ),
                    )
                  }
                />
              )}
            </Field>
          </>
        ) : null}
      </div>
      <button type="button" class="button small" onClick={props.onRemove}>
        Remove widget {index + 1}
      </button>
    </fieldset>
  );
}
