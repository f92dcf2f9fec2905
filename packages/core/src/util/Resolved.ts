/**
 * Options with every default applied: each property of `TOptions` present and defined.
 * (`Required` alone would keep the `| undefined` that optional option properties accept.)
 */
export type Resolved<TOptions> = { readonly [TKey in keyof TOptions]-?: Exclude<TOptions[TKey], undefined> };
