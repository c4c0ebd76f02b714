/**
 * Text handling shared by answer checking and Ask the SOP: one normalisation (case, accents,
 * dashes, quotes), one tokeniser and one light stemmer, so both sides of a comparison read words
 * the same way.
 */

const DASHES = /[\u2010\u2011\u2012\u2013\u2014\u2015\u2212]/g;
const SINGLE_QUOTES = /[\u2018\u2019\u201A\u201B\u2032]/g;
const DOUBLE_QUOTES = /[\u201C\u201D\u201E\u201F\u2033]/g;

/** Lower-cased, accents dropped, typographic dashes and quotes straightened, spaces collapsed. */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(DASHES, '-')
    .replace(SINGLE_QUOTES, "'")
    .replace(DOUBLE_QUOTES, '"')
    .replace(/\u00a0/g, ' ')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** Words that carry no meaning of their own in a question or an answer. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a an the and or but of to in on at for with is are was were be been being am i me my we our us you your ' +
    'it its this that these those there here do does did doing have has had having please hi hello thanks ' +
    'thank can could would will shall should may might must just so if as by from what which who whom whose ' +
    'when where why how than then them they their he she her his him into onto out up about any some all ' +
    'also very too yet still not no nor only own same such other each both few more most s t don ' +
    "i'm it's what's let's"
  ).split(' '),
);

/** Splits camelCase and snake_case identifiers so "hoursSinceLastEvent" reads as words. */
function splitIdentifiers(text: string): string {
  return text.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/_/g, ' ');
}

/** The words of a text: normalised, split on anything that is not a letter or digit. */
export function words(text: string): string[] {
  const normalized = normalizeText(splitIdentifiers(text)).replace(/'s\b/g, '').replace(/'/g, '');
  return normalized.match(/[a-z0-9]+/g) ?? [];
}

/**
 * A light suffix stripper in the spirit of Porter's first steps: plurals, -ed, -ing, -ly,
 * -ation, -ment and a final -e, so "cancelled", "cancelling", "cancellation" and "cancel"
 * meet, as do "ships", "shipped", "shipping" and "shipment". Both sides of every comparison go
 * through the same function. An -er is kept: the person who does a thing is not the thing done
 * ("approver" / "approved", "tracker" / "tracking"), and "order" stays what "ordered" becomes.
 */
export function stem(word: string): string {
  let w = word;
  if (w.length <= 3 || /^\d/.test(w)) return w;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) w = w.slice(0, -1);
  for (const suffix of ['ations', 'ation', 'ments', 'ment', 'ingly', 'edly', 'ing', 'ed', 'ly']) {
    if (w.endsWith(suffix) && w.length - suffix.length >= 3) {
      w = w.slice(0, -suffix.length);
      break;
    }
  }
  // Doubled final consonants left by -ed/-ing ("cancell", "shipp", "stopp").
  if (/([bdfgklmnprt])\1$/.test(w) && w.length > 3) w = w.slice(0, -1);
  if (w.endsWith('e') && w.length > 3) w = w.slice(0, -1);
  if (w.endsWith('y') && w.length > 3) w = `${w.slice(0, -1)}i`;
  return w;
}

/** Stemmed words without stop words: the terms a text is indexed and searched by. */
export function terms(text: string): string[] {
  return words(text)
    .filter((w) => !STOP_WORDS.has(w))
    .map(stem);
}
