import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { SWAGGER_UI_POLICY } from './content-security-policy.js';
import { addNullToNullableEnums, assertUniqueOperationIds, completeOperations, withAnswerMediaTypes } from './openapi-operations.js';

export default fp(
  async (app, options: { publicUrl: string }) => {
    await app.register(swagger, {
      openapi: {
        info: {
          title: 'Technology Database API',
          description:
            'Technology offers and requests of a regional technology-transfer centre: listings, search, matching, expressions of interest, and the Tech Monitor.',
          version: '1.0.0',
        },
        servers: [{ url: options.publicUrl }],
        components: {
          securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
        },
      },
      transform: (input) => {
        const { schema, url } = jsonSchemaTransform(input);
        return { schema: schema ? withAnswerMediaTypes(schema) : schema, url };
      },
      transformObject: (document) => {
        if (!('openapiObject' in document)) throw new Error('OpenAPI 2.0 is not produced here');
        const { openapiObject } = document;
        const paths = (openapiObject.paths ?? {}) as Parameters<typeof completeOperations>[0];
        completeOperations(paths);
        addNullToNullableEnums(paths);
        assertUniqueOperationIds(paths);
        return openapiObject;
      },
    });
    await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: SWAGGER_UI_POLICY });
  },
  { name: 'openapi' },
);
