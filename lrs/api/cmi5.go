package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/coursekit/coursekit/lrs"
	"github.com/coursekit/coursekit/lrs/cmi5"
)

// registerCMI5Routes adds coursekit's own cmi5 launcher, when the server
// has one (Config.Launcher): POST /cmi5/launch for an admin, and the
// one-time fetch URLs it hands out, which AUs call from the browser.
func registerCMI5Routes(e *echo.Echo, s *Server) {
	if s.cfg.Launcher == nil {
		return
	}
	g := e.Group("/cmi5", s.cors(), middleware.BodyLimit("64KB"))
	g.POST("/launch", s.handleLaunch, s.requireScope(lrs.ScopeAll))
	g.POST("/fetch/:code", s.handleFetch)
	g.GET("/fetch/:code", func(c echo.Context) error {
		// Not spending the code: a GET may come from a cache or a preview.
		c.Response().Header().Set("Allow", http.MethodPost)
		return &requestError{http.StatusMethodNotAllowed, errorBody{Error: "a fetch URL takes POST (cmi5 §8.2.1)"}}
	})
}

// launchMembers are the members a launch request may have, spelt exactly:
// encoding/json would match "AU" to au, and ignore what it does not know.
var launchMembers = map[string][]string{
	"":        {"learner", "au", "url", "course", "launchMode", "moveOn", "masteryScore", "launchParameters", "launchMethod", "returnURL", "registration"},
	"learner": {"homePage", "name", "displayName"},
}

// handleLaunch launches an AU for a learner (see cmi5.Launcher.Launch) and
// answers 201 with the launch URL and what was recorded.
func (s *Server) handleLaunch(c echo.Context) error {
	req := c.Request()
	if ct := req.Header.Get(echo.HeaderContentType); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != echo.MIMEApplicationJSON {
			return badRequest("header", "Content-Type", "must be application/json")
		}
	}
	body, err := io.ReadAll(req.Body)
	if err != nil {
		return err
	}
	var lr cmi5.Request
	if err := decodeLaunch(body, &lr); err != nil {
		return err
	}
	launch, err := s.cfg.Launcher.Launch(req.Context(), lr, s.publicURL(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, launch)
}

// decodeLaunch decodes a launch request strictly: a JSON object with the
// members launchMembers lists, each of its type.
func decodeLaunch(body []byte, dst *cmi5.Request) error {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil || top == nil {
		return badRequest("body", "body", "must be a JSON object, such as "+
			`{"learner":{"homePage":"https://lms.example.org","name":"jane-7","displayName":"Jane Doe"},"au":"https://example.org/course/au","url":"https://courses.example.org/course/index.html"}`)
	}
	for name, raw := range top {
		if !slices.Contains(launchMembers[""], name) {
			return badRequest("body", name, "is not a member of a launch request; use "+strings.Join(launchMembers[""], ", "))
		}
		if name != "learner" {
			continue
		}
		var learner map[string]json.RawMessage
		if err := json.Unmarshal(raw, &learner); err != nil || learner == nil {
			return badRequest("body", "learner", `must be an object: {"homePage": URL, "name": ACCOUNT, "displayName": NAME}`)
		}
		for n := range learner {
			if !slices.Contains(launchMembers["learner"], n) {
				return badRequest("body", "learner."+n, "is not a member of learner; use "+strings.Join(launchMembers["learner"], ", "))
			}
		}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(dst); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return badRequest("body", typeErr.Field, "must be a "+jsonType(typeErr.Type.String()))
		}
		return badRequest("body", "body", "must be a JSON object")
	}
	return nil
}

// jsonType names a Go type of cmi5.Request as JSON calls it.
func jsonType(goType string) string {
	switch strings.TrimPrefix(goType, "*") {
	case "float64":
		return "number"
	case "string":
		return "string"
	}
	return "object"
}

// publicURL is the server's URL as the learner's browser reaches it.
func (s *Server) publicURL(c echo.Context) string {
	if s.cfg.PublicURL != "" {
		return s.cfg.PublicURL
	}
	return c.Scheme() + "://" + c.Request().Host
}

// fetchErrors are cmi5's error codes (§8.2.3): 1 for a token already
// returned or a launch that expired, 2 for any other security error, 3 for
// the LRS's own failure.
var fetchErrors = []struct {
	err  error
	code string
}{
	{cmi5.ErrFetchUsed, "1"},
	{cmi5.ErrFetchExpired, "1"},
	{cmi5.ErrFetchInvalid, "2"},
}

// handleFetch answers a fetch URL: 200 with {"auth-token"} the first time,
// and 200 with {"error-code", "error-text"} after that, as cmi5 requires
// (§8.2.1: errors are 200 too).
func (s *Server) handleFetch(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	token, err := s.cfg.Launcher.Fetch(c.Request().Context(), c.Param("code"))
	if err == nil {
		return c.JSON(http.StatusOK, map[string]string{"auth-token": token})
	}
	code := "3"
	for _, fe := range fetchErrors {
		if errors.Is(err, fe.err) {
			code = fe.code
		}
	}
	text := err.Error()
	if code == "3" {
		s.log.Error("cmi5 fetch failed", "err", err)
		text = "the LRS could not issue a token; launch the AU again"
	}
	return c.JSON(http.StatusOK, map[string]string{"error-code": code, "error-text": text})
}
