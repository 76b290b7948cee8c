/**
 * Fastify compiles every route's validators (Ajv) and serializers (fast-json-stringify) when the
 * server starts: about a fifth of a second for Tongcheng's routes, most of which a given process
 * never serves. These are Fastify's own compilers, made lazy: each route's function is compiled
 * the first time a request needs it, and kept. The fuzz and access tests call every route, so a
 * schema that does not compile still fails the tests rather than a user.
 */
import ValidatorSelector from '@fastify/ajv-compiler';
import SerializerSelector from '@fastify/fast-json-stringify-compiler';
import type { FastifyServerOptions } from 'fastify';

type Compiler<Args, Fn> = (args: Args) => Fn;

/** A validator as Fastify calls it: the result, with Ajv's `errors` on the function itself. */
type Validator = ((data: unknown) => unknown) & { errors?: unknown };

function lazyValidator<Args>(compile: Compiler<Args, Validator>): Compiler<Args, Validator> {
  return (args) => {
    let compiled: Validator | undefined;
    const validate: Validator = (data) => {
      compiled ??= compile(args);
      const result = compiled(data);
      validate.errors = compiled.errors;
      return result;
    };
    return validate;
  };
}

function lazySerializer<Args>(
  compile: Compiler<Args, (data: unknown) => string>,
): Compiler<Args, (data: unknown) => string> {
  return (args) => {
    let compiled: ((data: unknown) => string) | undefined;
    return (data) => {
      compiled ??= compile(args);
      return compiled(data);
    };
  };
}

const buildValidator = ValidatorSelector();
const buildSerializer = SerializerSelector();

type SchemaController = NonNullable<FastifyServerOptions['schemaController']>;
type Factories = NonNullable<SchemaController['compilersFactory']>;

/** The `schemaController` option of Fastify: its own compilers, each run on first use. */
export const lazySchemaController: SchemaController = {
  compilersFactory: {
    buildValidator: ((...args: Parameters<typeof buildValidator>) =>
      lazyValidator(
        buildValidator(...args) as Compiler<unknown, Validator>,
      )) as unknown as Factories['buildValidator'],
    buildSerializer: ((...args: Parameters<typeof buildSerializer>) =>
      lazySerializer(
        buildSerializer(...args) as Compiler<unknown, (data: unknown) => string>,
      )) as unknown as Factories['buildSerializer'],
  },
};
