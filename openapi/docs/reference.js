// Renders this service's own OpenAPI document (served at /openapi.yaml) with Swagger UI,
// which is bundled in the binary: no CDN, no inline script, so it runs under the page's CSP.
// "Try it out" calls the service that served the page (the document's servers entry is "/").
window.addEventListener("load", function () {
  window.SwaggerUIBundle({
    url: "/openapi.yaml",
    dom_id: "#reference",
    deepLinking: true,
    persistAuthorization: false,
    tryItOutEnabled: false,
    validatorUrl: null,
  });
});
