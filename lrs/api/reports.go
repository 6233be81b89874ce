package api

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/coursekit/coursekit/lrs"
	"github.com/coursekit/coursekit/lrs/progress"
	"github.com/coursekit/coursekit/pkg/xapi"
)

// registerReportRoutes serves the reports of Config.Reports as JSON under
// /api/reports/. They are not xAPI resources, so they take no version
// header and no CORS; they always need a credential that may read
// statements, and one that may read only its own sees only the records of
// the statements it stored.
func registerReportRoutes(e *echo.Echo, s *Server) {
	if s.cfg.Reports == nil {
		return
	}
	g := e.Group("/api/reports", s.requireScope(lrs.ScopeStatementsReadMine), requireCredential)
	g.GET("/courses", s.handleReportCourses)
	g.GET("/course", s.handleReportCourse)
	g.GET("/learners", s.handleReportLearners)
	g.GET("/learner", s.handleReportLearner)
	g.GET("/questions", s.handleReportQuestions)
	g.GET("/responses", s.handleReportResponses)
}

// requireCredential refuses the anonymous reads AllowAnonymousRead lets
// through to statements: reports are about people.
func requireCredential(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if _, ok := credential(c); !ok {
			return lrs.ErrUnauthorized
		}
		return next(c)
	}
}

func (s *Server) handleReportCourses(c echo.Context) error {
	f, err := reportFilter(c, false, "since", "until", "group")
	if err != nil {
		return err
	}
	rows, err := s.cfg.Reports.Courses(c.Request().Context(), f)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"courses": nonNil(rows)})
}

func (s *Server) handleReportCourse(c echo.Context) error {
	f, err := reportFilter(c, true, "since", "until", "group")
	if err != nil {
		return err
	}
	d, err := s.cfg.Reports.Course(c.Request().Context(), f)
	if err != nil {
		return err
	}
	d.Funnel = nonNil(d.Funnel)
	return c.JSON(http.StatusOK, d)
}

func (s *Server) handleReportLearners(c echo.Context) error {
	f, err := reportFilter(c, true, "since", "until", "group", "status", "search", "sort", "limit", "offset")
	if err != nil {
		return err
	}
	rows, total, err := s.cfg.Reports.Learners(c.Request().Context(), f)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"learners": nonNil(rows), "total": total})
}

func (s *Server) handleReportLearner(c echo.Context) error {
	f, err := reportFilter(c, false, "learner", "since", "until")
	if err != nil {
		return err
	}
	if f.Learner == "" {
		return badRequest("parameter", "learner", "is required")
	}
	d, err := s.cfg.Reports.Learner(c.Request().Context(), f)
	if err != nil {
		return err
	}
	d.Courses, d.Timeline = nonNil(d.Courses), nonNil(d.Timeline)
	return c.JSON(http.StatusOK, d)
}

func (s *Server) handleReportQuestions(c echo.Context) error {
	f, err := reportFilter(c, true, "since", "until", "group")
	if err != nil {
		return err
	}
	rows, err := s.cfg.Reports.Questions(c.Request().Context(), f)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"questions": nonNil(rows)})
}

func (s *Server) handleReportResponses(c echo.Context) error {
	f, err := reportFilter(c, true, "since", "until", "group")
	if err != nil {
		return err
	}
	rows, err := s.cfg.Reports.Responses(c.Request().Context(), f)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"responses": nonNil(rows)})
}

// reportFilter reads a report's parameters: course (required when
// needCourse, allowed always) and the others named, and limits the
// filter to the credential's own statements when it may read only those.
func reportFilter(c echo.Context, needCourse bool, params ...string) (progress.Filter, error) {
	q := c.QueryParams()
	if err := onlyParams(q, append(params, "course")...); err != nil {
		return progress.Filter{}, err
	}
	f := progress.Filter{Course: q.Get("course"), Group: q.Get("group"), Search: q.Get("search"), Sort: q.Get("sort"), Status: progress.Status(q.Get("status"))}
	if needCourse && f.Course == "" {
		return f, badRequest("parameter", "course", "is required: a course id as in course.yaml")
	}
	var err error
	if f.Since, err = reportTime(q, "since", false); err != nil {
		return f, err
	}
	if f.Until, err = reportTime(q, "until", true); err != nil {
		return f, err
	}
	if f.Limit, err = reportCount(q, "limit"); err != nil {
		return f, err
	}
	if f.Offset, err = reportCount(q, "offset"); err != nil {
		return f, err
	}
	if f.Status != "" && !slices.Contains(progress.Statuses, f.Status) {
		return f, badRequest("parameter", "status", "must be one of not started, in progress, completed, passed, failed")
	}
	if f.Sort != "" && !slices.Contains([]string{"name", "status", "progress", "score", "time", "last"}, strings.TrimPrefix(f.Sort, "-")) {
		return f, badRequest("parameter", "sort", "must be one of name, status, progress, score, time, last, with a - prefix for descending")
	}
	if l := q.Get("learner"); l != "" {
		if !isIFI(l) {
			return f, badRequest("parameter", "learner", "must be an IFI: mbox:mailto:ADDRESS, account:HOMEPAGE|NAME, openid:URL or mbox_sha1sum:HEX")
		}
		f.Learner = l
	}
	if cred, ok := credential(c); ok && !lrs.Allows(cred.Scopes, lrs.ScopeStatementsRead) {
		authority, err := xapi.ParseAgent(cred.Authority, xapi.Version200)
		if err != nil {
			return f, err
		}
		f.Authority = authority.IFI()
	}
	return f, nil
}

func isIFI(s string) bool {
	kind, rest, ok := strings.Cut(s, ":")
	if !ok || rest == "" {
		return false
	}
	switch kind {
	case "mbox":
		return strings.HasPrefix(rest, "mailto:") && strings.Contains(rest, "@")
	case "account":
		home, name, ok := strings.Cut(rest, "|")
		return ok && home != "" && name != ""
	case "openid", "mbox_sha1sum":
		return true
	}
	return false
}

// reportTime reads an RFC 3339 time or a date; a date as an end is the end
// of that day.
func reportTime(q url.Values, name string, end bool) (time.Time, error) {
	t, err := progress.ParseBound(q.Get(name), end)
	if err != nil {
		return time.Time{}, badRequest("parameter", name, err.Error())
	}
	return t, nil
}

func reportCount(q url.Values, name string) (int, error) {
	s := q.Get(name)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, badRequest("parameter", name, "must be a whole number, 0 or more")
	}
	return n, nil
}

// nonNil makes a nil slice encode as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
