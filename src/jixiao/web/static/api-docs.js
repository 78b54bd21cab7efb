/* Starts the vendored Swagger UI on /api/v1/docs (an external file: the API's CSP allows no inline script). */
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({url: root.dataset.openapi, dom_id: "#swagger-ui", deepLinking: true});
})();
