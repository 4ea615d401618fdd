/**
 * Message catalogues are TypeScript objects: the Arabic catalogue must have exactly the keys of the
 * English one, so a missing translation is a compile error (and a test failure).
 */
export interface Tree {
  [key: string]: string | Tree;
}
export type SameKeys<T> = { [K in keyof T]: T[K] extends string ? string : SameKeys<T[K]> };

export interface Catalogue<T extends Tree = Tree> {
  en: T;
  ar: SameKeys<T>;
}

export function bilingual<const T extends Tree>(en: T, ar: SameKeys<T>): Catalogue<T> {
  return { en, ar };
}
