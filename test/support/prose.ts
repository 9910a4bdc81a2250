// Deterministic English-like prose for search tests: Zipf-distributed words with inflections (so stemming matters),
// sentences and paragraphs (so chunking and sentence highlights have something to work on).

const STEMS = (
  'archive compress network socket packet route kernel module driver device storage volume partition filesystem ' +
  'journal inode block cache memory process thread signal timer clock schedule queue buffer stream channel ' +
  'message protocol header payload checksum digest cipher key certificate token session cookie request response ' +
  'server client proxy gateway tunnel bridge switch firewall policy rule chain table index column record field ' +
  'value query filter sort merge join group count limit offset cursor page document section chapter paragraph ' +
  'sentence word letter symbol number digit format encode decode parse render print display window screen color ' +
  'image picture camera sound music voice record player editor compile link build package install upgrade remove ' +
  'configure option setting profile account user password login permission owner group member role access audit ' +
  'backup restore mirror replicate migrate convert transform extract import export upload download transfer sync ' +
  'monitor measure report alert notify log trace debug error warning failure crash recover restart shutdown boot'
).split(' ');
const COMMON = 'the a of and to in is for on with as by that this it from or be are at an was which'.split(' ');
const SUFFIXES = ['', '', '', 's', 'ed', 'ing', 'er'];

export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
    return s / 2 ** 32;
  };
}

/** A word: a common word 30% of the time, else a stem (Zipf-like: low indexes far likelier) with an inflection. */
export function proseWord(rand: () => number): string {
  if (rand() < 0.3) return COMMON[Math.floor(rand() * COMMON.length)]!;
  const stem = STEMS[Math.floor(STEMS.length * rand() ** 2.5)]!;
  const suffix = SUFFIXES[Math.floor(rand() * SUFFIXES.length)]!;
  return stem.endsWith('e') && suffix.startsWith('e') ? stem + suffix.slice(1) : stem + suffix;
}

export function sentence(rand: () => number, words = 8 + Math.floor(rand() * 10)): string {
  const text = Array.from({ length: words }, () => proseWord(rand)).join(' ');
  return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
}

export function prose(rand: () => number, paragraphs: number): string {
  return Array.from({ length: paragraphs }, () => Array.from({ length: 3 + Math.floor(rand() * 4) }, () => sentence(rand)).join(' ')).join('\n\n');
}

/** A query of 1–4 stems, some inflected. */
export function proseQuery(rand: () => number): string {
  return Array.from({ length: 1 + Math.floor(rand() * 4) }, () => {
    const stem = STEMS[Math.floor(STEMS.length * rand() ** 1.5)]!;
    return rand() < 0.5 ? stem : `${stem}s`;
  }).join(' ');
}
