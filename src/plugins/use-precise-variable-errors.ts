/**
 * Variables that are not what the operation declares are the client's error, named precisely.
 *
 * graphql-jit coerces variables fast but reports a bad one without its path ("Variable
 * "$timestamp" got invalid value"), while the contract promises BAD_USER_INPUT naming the path.
 * When a compiled operation fails on its variables, graphql-js coerces them again to word the
 * errors: the slow path only ever runs for requests that are refused anyway.
 *
 * Variables that are not even JSON, in a GET query string or a form body, make yoga's parser
 * throw a bare SyntaxError, which would be masked as an internal error: refused here instead.
 */
import { getOperationAST, getVariableValues, GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

const VARIABLE_ERROR = /^Variable "\$/;

export function usePreciseVariableErrors(): Plugin {
  return {
    onRequestParse({ requestParser, setRequestParser }) {
      if (!requestParser) return;
      setRequestParser(async (request) => {
        try {
          return await requestParser(request);
        } catch (error) {
          if (!(error instanceof SyntaxError)) throw error;
          throw new GraphQLError(`variables and extensions must be JSON objects: ${error.message}`, {
            extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
          });
        }
      });
    },
    onExecute({ args }) {
      return {
        onExecuteDone({ result, setResult }) {
          if (!('errors' in result) || !result.errors?.length || result.data) return;
          if (!result.errors.every((error) => VARIABLE_ERROR.test(error.message))) return;
          const operation = getOperationAST(args.document, args.operationName);
          if (!operation) return;
          const coerced = getVariableValues(args.schema, operation.variableDefinitions ?? [], args.variableValues ?? {}, {
            maxErrors: 20,
          });
          if (coerced.errors?.length) setResult({ errors: coerced.errors.map((error) => new GraphQLError(error.message, error)) });
        },
      };
    },
  };
}
