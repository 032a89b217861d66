/* Swagger UI on /api/v1/docs (templates/api/docs.html): django-ninja's swagger-ui-init.js, with
   two plugins so that the page drawn passes the site's checks:
   - an h2 between the API's title (h1) and the groups of endpoints (h3): no skipped level;
   - each operation's path as plain text rather than an <a> with no address (with deep links
     on, a link inside the operation's toggle button: a control inside a control). */
(function () {
  "use strict";
  const body = document.body.dataset;
  const config = JSON.parse(document.getElementById("swagger-settings").textContent);
  config.dom_id = "#swagger-ui";
  config.presets = [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset];
  config.plugins = [
    function () {
      return {
        wrapComponents: {
          InfoContainer: function (Original, system) {
            return function (props) {
              const h = system.React.createElement;
              return h(
                system.React.Fragment,
                null,
                h(Original, props),
                h("h2", { className: "api-docs-endpoints" }, body.endpointsHeading),
              );
            };
          },
          DeepLink: function (Original, system) {
            return function (props) {
              return system.React.createElement("span", null, props.text);
            };
          },
        },
      };
    },
  ];
  if (body.apiCsrf && body.csrfToken) {
    config.requestInterceptor = function (request) {
      request.headers["X-CSRFToken"] = body.csrfToken;
      return request;
    };
  }
  SwaggerUIBundle(config);
})();
