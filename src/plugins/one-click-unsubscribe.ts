import fp from 'fastify-plugin';

/**
 * RFC 8058 one-click unsubscribe: a mail client POSTs "List-Unsubscribe=One-Click" to the link as a
 * form, in either encoding. The token is in the link's query string, so the body carries nothing
 * the handler needs: it is read and set aside. Registered by the route plugins that serve such
 * links, and only there, so no other route accepts forms.
 */
export default fp(async (app) => {
  for (const type of ['application/x-www-form-urlencoded', 'multipart/form-data']) {
    app.addContentTypeParser(type, { parseAs: 'string' }, (_request, _body, done) => done(null, {}));
  }
});
