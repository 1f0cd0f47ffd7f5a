// core/names: types for the names that pick a built-in by string (losses, metrics, optimizers,
// activations). Option types take a union of the known spellings, so a typo such as
// "mean_sqaured_error" fails to type-check, and keep two escapes for names added at run time: the
// value register*() returns (a RegisteredName) and declaration merging into Custom*Names.

declare const registeredKind: unique symbol;

/**
 * A name registered at run time (registerLoss and friends return one), accepted wherever a name of
 * that kind is. It is the name itself at run time: `const focal = registerLoss("focal", f)`.
 */
export type RegisteredName<Kind extends string, Name extends string = string> = Name & {
  readonly [registeredKind]: Kind;
};

/** "meanSquaredError" -> "mean_squared_error" (Keras's snake_case spelling). */
export type SnakeCase<S extends string> = S extends `${infer Head}${infer Tail}`
  ? `${Head extends Lowercase<Head> ? Head : `_${Lowercase<Head>}`}${SnakeCase<Tail>}`
  : S;

/** "leaky_relu" -> "leakyRelu". */
export type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;

/** The spellings a camelCase built-in is known by: camelCase, snake_case and the class name. */
export type NameSpellings<Camel extends string> = Camel | SnakeCase<Camel> | Capitalize<Camel>;
