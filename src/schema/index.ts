/** Imports every domain and builds the schema. Nothing else belongs here. */
import { lexicographicSortSchema } from 'graphql';
import { builder } from '../builder.js';
import './node.js';
import './project.js';
import './agent.js';
import './auth.js';
import './event.js';
import './session.js';
import './ingest.js';
import './live.js';
import './analytics.js';

export const schema = lexicographicSortSchema(builder.toSchema());
