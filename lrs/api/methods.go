package api

import (
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"
)

// allowedMethods maps the path of every route under prefix to the methods
// it takes, as an Allow header lists them.
func allowedMethods(routes []*echo.Route, prefix string) map[string]string {
	methods := map[string][]string{}
	for _, r := range routes {
		if r.Method == echo.RouteNotFound || !strings.HasPrefix(r.Path, prefix+"/") {
			continue
		}
		methods[r.Path] = append(methods[r.Path], r.Method)
	}
	allow := make(map[string]string, len(methods))
	for path, m := range methods {
		slices.Sort(m)
		allow[path] = strings.Join(slices.Compact(m), ", ")
	}
	return allow
}

// handleUnmatched answers a request under /xapi that no route takes: 405
// with an Allow header when the resource exists but not with this method
// (HTTP's rule, which ADL's conformance suite checks), else 404.
func (s *Server) handleUnmatched(c echo.Context) error {
	// The path as the router saw it: /xapi/activities%2Fstate is no route.
	path := c.Request().URL.RawPath
	if path == "" {
		path = c.Request().URL.Path
	}
	allow, ok := s.allow[path]
	if !ok {
		return echo.ErrNotFound
	}
	c.Response().Header().Set(echo.HeaderAllow, allow)
	return &requestError{http.StatusMethodNotAllowed, errorBody{Error: "method not allowed", Rule: "this resource takes " + allow}}
}
