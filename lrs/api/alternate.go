package api

import (
	"bytes"
	"errors"
	"io"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/coursekit/coursekit/pkg/xapi"
)

// alternateHeaders are the headers a 1.0.x client may send as form
// parameters in the alternate request syntax (Communication §1.3).
var alternateHeaders = []string{"Authorization", "X-Experience-API-Version", "Content-Type", "Content-Length", "If-Match", "If-None-Match"}

// alternateSyntax turns a request in xAPI 1.0.x's alternate syntax — a POST
// with ?method=X and the headers, parameters and content as form fields, for
// clients that cannot set headers — into the request it stands for, before
// routing. xAPI 2.0 removed the syntax, so a 2.0 request using it is 400.
func (s *Server) alternateSyntax(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		// echo keeps what it parses here for the handlers.
		q := c.QueryParams()
		if !q.Has("method") || !strings.HasPrefix(req.URL.Path, "/xapi/") {
			return next(c)
		}
		if err := s.rewriteAlternate(req, q); err != nil {
			// Errors before routing still need the version header.
			c.Response().Header().Set(versionHeader, xapi.Version103.String())
			return err
		}
		// The handlers read the parameters of the request it stands for.
		rewritten := req.URL.Query()
		clear(q)
		maps.Copy(q, rewritten)
		return next(c)
	}
}

// rewriteAlternate changes req in place: echo routes the request it was
// given, so a copy would be routed as the POST it arrived as.
func (s *Server) rewriteAlternate(req *http.Request, q url.Values) error {
	if req.Method != http.MethodPost {
		return badRequest("parameter", "method", "is only allowed on POST (the alternate request syntax)")
	}
	if len(q) > 1 {
		return badRequest("parameter", "method", "the alternate request syntax allows no other query parameter; send them as form parameters")
	}
	method := strings.ToUpper(q.Get("method"))
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodPost, http.MethodDelete:
	default:
		return badRequest("parameter", "method", "must be GET, HEAD, PUT, POST or DELETE")
	}
	body, err := io.ReadAll(http.MaxBytesReader(nil, req.Body, s.cfg.MaxBodyBytes))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return echo.ErrStatusRequestEntityTooLarge
	}
	if err != nil {
		return err
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return badRequest("body", "form", "must be application/x-www-form-urlencoded")
	}
	out := req
	out.Method = method
	for _, h := range alternateHeaders {
		if form.Has(h) {
			out.Header.Set(h, form.Get(h))
			form.Del(h)
		}
	}
	if v, err := xapi.ParseVersion(out.Header.Get(versionHeader)); err == nil && v == xapi.Version200 {
		return badRequest("parameter", "method", "xAPI 2.0 has no alternate request syntax; send the request as it is")
	}
	content := form.Get("content")
	form.Del("content")
	if out.Header.Get("Content-Type") == "" || strings.HasPrefix(out.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		out.Header.Set("Content-Type", "application/json")
	}
	out.Body = io.NopCloser(bytes.NewReader([]byte(content)))
	out.ContentLength = int64(len(content))
	out.Header.Set("Content-Length", strconv.Itoa(len(content)))
	out.URL.RawQuery = form.Encode()
	out.RequestURI = out.URL.RequestURI()
	return nil
}
