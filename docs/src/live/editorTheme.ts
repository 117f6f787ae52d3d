import type { ComponentProps } from 'react';
import type { Editor } from 'react-live';

type PrismTheme = NonNullable<ComponentProps<typeof Editor>['theme']>;

/**
 * The code colours as CSS variables (defined in styles.css for light and dark), so the
 * editor follows `prefers-color-scheme` like the rest of the page.
 */
export const editorTheme: PrismTheme = {
  plain: { color: 'var(--code-fg)', backgroundColor: 'var(--code-bg)' },
  styles: [
    { types: ['comment', 'prolog', 'doctype', 'cdata'], style: { color: 'var(--tok-comment)', fontStyle: 'italic' } },
    { types: ['punctuation', 'operator'], style: { color: 'var(--tok-punct)' } },
    { types: ['tag', 'class-name', 'maybe-class-name'], style: { color: 'var(--tok-tag)' } },
    { types: ['attr-name', 'property'], style: { color: 'var(--tok-attr)' } },
    { types: ['string', 'attr-value', 'char', 'template-string'], style: { color: 'var(--tok-string)' } },
    { types: ['number', 'boolean', 'constant'], style: { color: 'var(--tok-number)' } },
    { types: ['keyword', 'builtin'], style: { color: 'var(--tok-keyword)' } },
    { types: ['function'], style: { color: 'var(--tok-function)' } },
  ],
};
