import type { ComponentChildren } from 'preact';
import { fieldId } from './editor-model.ts';

/**
 * A labelled form control named by its API path, with the API's error for that path next to it
 * (`aria-invalid` and `aria-describedby` on the control). `children` renders the control given its
 * id and aria attributes.
 */
export function Field(props: {
  path: string;
  label: string;
  error: string | undefined;
  hint?: string;
  children: (attributes: {
    id: string;
    'aria-invalid': boolean;
    'aria-describedby'?: string;
  }) => ComponentChildren;
}) {
  const id = fieldId(props.path);
  const described = [props.hint ? `${id}-hint` : '', props.error ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div class={props.error ? 'field invalid' : 'field'}>
      <label for={id}>{props.label}</label>
      {props.children({
        id,
        'aria-invalid': props.error !== undefined,
        ...(described ? { 'aria-describedby': described } : {}),
      })}
      {props.hint ? (
        <p id={`${id}-hint`} class="help">
          {props.hint}
        </p>
      ) : null}
      {props.error ? (
        <p id={`${id}-error`} class="field-error" data-field={props.path}>
          {props.error}
        </p>
      ) : null}
    </div>
  );
}
