// When the server answers 401 to a Dash request (session expired or logged
// out elsewhere), send the browser to the login page instead of leaving a
// silently broken page.
(function () {
  "use strict";
  var originalFetch = window.fetch;
  window.fetch = function () {
    return originalFetch.apply(this, arguments).then(function (response) {
      if (response.status === 401 && response.url.indexOf("/_dash-") !== -1) {
        window.location.assign("/login?expired=1");
      }
      return response;
    });
  };
})();
