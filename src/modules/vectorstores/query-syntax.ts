// What a search box accepts: words (any of them may match), "quoted phrases" (must appear as written, after
// stemming), and -excluded words or -"phrases". Everything else is text; nothing here can fail.

export interface ParsedQuery {
  /** Words outside quotes, as typed (stemmed later by the store's language). */
  words: string[];
  /** Phrases every hit must contain. */
  phrases: string[];
  /** Words and phrases no hit may contain. */
  excluded: string[];
}

/** At most this many phrases and exclusions each: every one is a condition on every candidate. */
export const MAX_QUERY_CLAUSES = 16;

const TOKEN = /(-?)"([^"]*)"|(-?)([^\s"]+)|"([^"]*)$/gu;

export function parseQuery(query: string): ParsedQuery {
  const parsed: ParsedQuery = { words: [], phrases: [], excluded: [] };
  for (const match of query.matchAll(TOKEN)) {
    const [, phraseMinus, phrase, wordMinus, word, unterminated] = match;
    if (phrase !== undefined) {
      const text = phrase.trim();
      if (!text) continue;
      if (phraseMinus) {
        if (parsed.excluded.length < MAX_QUERY_CLAUSES) parsed.excluded.push(text);
      } else if (parsed.phrases.length < MAX_QUERY_CLAUSES) parsed.phrases.push(text);
      else parsed.words.push(text);
    } else if (word !== undefined) {
      // A lone "-" or a hyphen inside a word ("e-mail") is text, not an exclusion.
      if (wordMinus && word && parsed.excluded.length < MAX_QUERY_CLAUSES) parsed.excluded.push(word);
      else parsed.words.push(`${wordMinus}${word}`);
    } else if (unterminated !== undefined && unterminated.trim()) {
      parsed.words.push(unterminated.trim()); // an unclosed quote: plain words
    }
  }
  return parsed;
}
