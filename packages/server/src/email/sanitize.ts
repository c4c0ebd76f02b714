import sanitize from 'sanitize-html';

/**
 * The HTML that may reach an agent's browser: formatting, links, tables and inline images only.
 * No script, style, form, frame or object; no event handler attributes; links only to http(s) and
 * mailto, images only from data: URIs (inline attachments) and https. The result is still shown
 * only inside a sandboxed frame without scripts (defence in depth).
 */
const OPTIONS: sanitize.IOptions = {
  allowedTags: [
    'a',
    'abbr',
    'b',
    'blockquote',
    'br',
    'caption',
    'code',
    'col',
    'colgroup',
    'dd',
    'del',
    'div',
    'dl',
    'dt',
    'em',
    'font',
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'hr',
    'i',
    'img',
    'ins',
    'li',
    'ol',
    'p',
    'pre',
    's',
    'small',
    'span',
    'strike',
    'strong',
    'sub',
    'sup',
    'table',
    'tbody',
    'td',
    'tfoot',
    'th',
    'thead',
    'tr',
    'u',
    'ul',
  ],
  disallowedTagsMode: 'discard',
  allowedAttributes: {
    a: ['href', 'title'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    td: ['colspan', 'rowspan', 'align', 'valign'],
    th: ['colspan', 'rowspan', 'align', 'valign'],
    table: ['border', 'cellpadding', 'cellspacing', 'width'],
    font: ['color', 'size'],
    '*': ['dir', 'lang'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['https', 'data'] },
  allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
  allowProtocolRelative: false,
  enforceHtmlBoundary: true,
  transformTags: {
    // Links open outside the app and tell the target nothing about where they came from.
    a: sanitize.simpleTransform('a', { target: '_blank', rel: 'noopener noreferrer nofollow' }),
    // Inline images only as raster data (an SVG or HTML document in a data: URI is not an image).
    img: (tagName, attribs) => {
      const { src, ...rest } = attribs;
      const bare = (src ?? '').replace(/[\p{Cc}\s]/gu, '').toLowerCase();
      const refused = bare.startsWith('data:') && !/^data:image\/(png|gif|jpe?g|webp|bmp)[;,]/.test(bare);
      return { tagName, attribs: src === undefined || refused ? rest : { ...rest, src } };
    },
  },
};

export function sanitizeHtml(html: string): string {
  return sanitize(html, {
    ...OPTIONS,
    allowedAttributes: { ...OPTIONS.allowedAttributes, a: ['href', 'title', 'target', 'rel'] },
  });
}
