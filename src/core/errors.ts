// core/errors: the named error classes. Messages read `op: what was expected (got what came)`.

/** Base class of every error Tessera throws on purpose. */
export class TesseraError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Shapes that do not fit the operation (incompatible broadcast, wrong rank, bad reshape). */
export class ShapeError extends TesseraError {}
/** A dtype the operation does not accept, or two dtypes that may not be mixed. */
export class DTypeError extends TesseraError {}
/** An index or axis outside its valid range. */
export class IndexError extends TesseraError {}
/** A bad argument value or option (negative size, unknown name, invalid learning rate). */
export class ValueError extends TesseraError {}
/** A configuration object (layer config, spec file, options) that does not validate. */
export class ConfigError extends TesseraError {}
/** A file or payload whose format is wrong (corrupt, truncated, unknown version). */
export class FormatError extends TesseraError {}
/** Misuse of automatic differentiation (backward on a non-scalar, no graph to walk). */
export class GradError extends TesseraError {}
/** A backend that cannot be selected or loaded. */
export class BackendError extends TesseraError {}
