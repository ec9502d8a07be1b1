/**
 * graphql-jit coerces variables fast but reports a bad one without its path ("Variable
 * "$timestamp" got invalid value"), while the contract promises BAD_USER_INPUT naming the path.
 * When a compiled operation fails on its variables, graphql-js coerces them again to word the
 * errors: the slow path only ever runs for requests that are refused anyway.
 */
import { getOperationAST, getVariableValues, GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

const VARIABLE_ERROR = /^Variable "\$/;

export function usePreciseVariableErrors(): Plugin {
  return {
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
