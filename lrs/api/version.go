package api

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/coursekit/coursekit/pkg/xapi"
)

// Versions are the xAPI versions the LRS accepts, as About lists them.
var Versions = []string{"1.0.0", "1.0.1", "1.0.2", "1.0.3", "2.0.0"}

const (
	versionHeader = "X-Experience-API-Version"
	versionKey    = "xapiVersion"
)

// versionHeader requires X-Experience-API-Version on every xAPI request but
// About and CORS preflights, and sets it on every response.
func (s *Server) versionHeader(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		h := req.Header.Get(versionHeader)
		v, err := xapi.ParseVersion(h)
		ok := err == nil
		if !ok {
			v = xapi.Version200
		}
		c.Response().Header().Set(versionHeader, v.String())
		c.Set(versionKey, v)
		if req.URL.Path == "/xapi/about" || req.Method == http.MethodOptions {
			return next(c)
		}
		switch {
		case h == "":
			return badRequest("header", versionHeader, "is required on every xAPI request")
		case !ok:
			return badRequest("header", versionHeader, "must be one of 1.0.0, 1.0.1, 1.0.2, 1.0.3, 2.0.0, not "+strconv.Quote(h))
		}
		return next(c)
	}
}

// version is the xAPI version negotiated for the request.
func version(c echo.Context) xapi.Version {
	v, _ := c.Get(versionKey).(xapi.Version)
	return v
}

func (s *Server) handleAbout(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]any{
		"version":    Versions,
		"extensions": map[string]any{},
	})
}

func itoa(i int) string     { return strconv.Itoa(i) }
func itoa64(i int64) string { return strconv.FormatInt(i, 10) }
