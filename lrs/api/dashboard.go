package api

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// lrsPaths are the LRS's own: the dashboard never answers under them, so
// an unknown path there stays the LRS's JSON 404.
var lrsPaths = []string{"/xapi", "/api", "/cmi5", "/healthz", "/readyz", "/metrics"}

// registerDashboard serves the dashboard at / and every path the other
// routes leave.
func registerDashboard(e *echo.Echo, dashboard http.Handler) {
	if dashboard == nil {
		return
	}
	serve := echo.WrapHandler(dashboard)
	h := func(c echo.Context) error {
		p := c.Request().URL.Path
		for _, prefix := range lrsPaths {
			if p == prefix || strings.HasPrefix(p, prefix+"/") {
				return echo.ErrNotFound
			}
		}
		return serve(c)
	}
	e.Any("/", h)
	e.Any("/*", h)
}
