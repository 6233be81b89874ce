package api

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/coursekit/coursekit/lrs"
	"github.com/coursekit/coursekit/lrs/cmi5"
	"github.com/coursekit/coursekit/lrs/progress"
	"github.com/coursekit/coursekit/pkg/xapi"
)

// errorBody is every error response: what failed, and for bad input the
// property (a JSON path, a query parameter or a header) and the rule.
type errorBody struct {
	Error    string `json:"error"`
	Property string `json:"property,omitempty"`
	Rule     string `json:"rule,omitempty"`
}

// requestError is a request the handlers refuse before it reaches the
// service: a bad parameter or header, a missing credential or scope.
type requestError struct {
	status int
	body   errorBody
}

func (e *requestError) Error() string {
	if e.body.Property != "" {
		return e.body.Property + ": " + e.body.Rule
	}
	return e.body.Error
}

// badRequest is a 400 naming the property (of kind "parameter", "header" or
// "body") and the rule it broke.
func badRequest(kind, property, rule string) error {
	return &requestError{http.StatusBadRequest, errorBody{Error: "invalid " + kind, Property: property, Rule: rule}}
}

// handleError maps every error to its status in one table. Echo's default
// handler type-asserts, so wrapped errors would become 500s; this one uses
// errors.Is and errors.As. Only 5xx are logged, with their cause.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status, body := s.classify(err)
	if status == http.StatusUnauthorized {
		c.Response().Header().Set("WWW-Authenticate", `Basic realm="xAPI", charset="UTF-8"`)
	}
	if status >= 500 {
		s.log.Error("request failed", "method", c.Request().Method, "uri", c.Request().RequestURI, "err", err)
	}
	if c.Request().Method == http.MethodHead {
		err = c.NoContent(status)
	} else {
		err = c.JSON(status, body)
	}
	if err != nil {
		s.log.Error("write error response", "err", err)
	}
}

func (s *Server) classify(err error) (int, errorBody) {
	var (
		reqErr  *requestError
		invalid *xapi.ValidationError
		httpErr *echo.HTTPError
	)
	var (
		invalidDoc    *lrs.DocumentError
		forbidden     *lrs.ForbiddenError
		invalidLaunch *cmi5.InvalidError
		conflict      *cmi5.ConflictError
	)
	switch {
	case errors.As(err, &reqErr):
		return reqErr.status, reqErr.body
	case errors.As(err, &invalid):
		return http.StatusBadRequest, errorBody{Error: "invalid statement", Property: invalid.Property, Rule: invalid.Rule}
	case errors.As(err, &invalidDoc):
		return http.StatusBadRequest, errorBody{Error: "invalid document", Property: invalidDoc.Property, Rule: invalidDoc.Rule}
	case errors.As(err, &forbidden):
		return http.StatusForbidden, errorBody{Error: "this credential may not do this", Property: forbidden.Property, Rule: forbidden.Rule}
	case errors.As(err, &invalidLaunch):
		return http.StatusBadRequest, errorBody{Error: "invalid launch request", Property: invalidLaunch.Property, Rule: invalidLaunch.Rule}
	case errors.As(err, &conflict):
		return http.StatusConflict, errorBody{Error: "the launch contradicts what the LRS holds", Property: conflict.Property, Rule: conflict.Rule}
	case errors.Is(err, lrs.ErrDocumentExists):
		return http.StatusConflict, errorBody{Error: "the document exists: to replace it, GET it and send its ETag in If-Match " +
			"(or send If-None-Match: * to write only when there is none)"}
	case errors.Is(err, lrs.ErrDocumentBusy):
		return http.StatusConflict, errorBody{Error: "the document kept changing while this request was applied; send it again"}
	case errors.Is(err, lrs.ErrUnauthorized):
		return http.StatusUnauthorized, errorBody{Error: "a valid credential is required (HTTP Basic)"}
	case errors.Is(err, progress.ErrUnknownCourse):
		return http.StatusNotFound, errorBody{Error: progress.ErrUnknownCourse.Error()}
	case errors.Is(err, lrs.ErrNotFound):
		return http.StatusNotFound, errorBody{Error: "not found"}
	case errors.Is(err, lrs.ErrConflict):
		return http.StatusConflict, errorBody{Error: "a statement with this id exists with different content"}
	case errors.Is(err, lrs.ErrVoidingVoid):
		return http.StatusBadRequest, errorBody{Error: "invalid statement", Property: "object.id", Rule: "must not be a voiding statement: a voiding statement cannot be voided"}
	case errors.Is(err, lrs.ErrPreconditionFailed):
		return http.StatusPreconditionFailed, errorBody{Error: "precondition failed"}
	case errors.As(err, &httpErr):
		msg := http.StatusText(httpErr.Code)
		if httpErr.Code == http.StatusRequestEntityTooLarge {
			msg = "request body too large"
		}
		return httpErr.Code, errorBody{Error: msg}
	}
	return http.StatusInternalServerError, errorBody{Error: "internal error"}
}
