/* The API's docs page (templates/api/docs.html): Swagger UI over /api/v1/openapi.json, from the
   site's own static files. Calls made from the page send the session's CSRF token, so that
   "Try it out" works for a signed-in user; nothing is fetched from another host (no
   validator badge). */
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  var csrf = root.dataset.csrfToken;
  window.SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    requestInterceptor: function (request) {
      if (csrf) { request.headers["X-CSRFToken"] = csrf; }
      return request;
    }
  });
})();
