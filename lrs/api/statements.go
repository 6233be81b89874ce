package api

import (
	"bytes"
	"io"
	"mime"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/coursekit/coursekit/lrs"
	"github.com/coursekit/coursekit/pkg/xapi"
)

func registerStatementRoutes(g *echo.Group, s *Server) {
	write := s.requireScope(lrs.ScopeStatementsWrite)
	read := s.requireScope(lrs.ScopeStatementsReadMine)
	g.PUT("/statements", s.handlePutStatement, write)
	g.POST("/statements", s.handlePostStatements, write)
	g.GET("/statements", s.handleGetStatements, read)
	g.HEAD("/statements", s.handleGetStatements, read)
}

// handlePutStatement stores one statement under the statementId parameter
// (Communication §2.1.1): 204 once it is committed.
func (s *Server) handlePutStatement(c echo.Context) error {
	q := c.QueryParams()
	if err := onlyParams(q, "statementId"); err != nil {
		return err
	}
	id := q.Get("statementId")
	if id == "" {
		return badRequest("parameter", "statementId", "is required on PUT")
	}
	if !uuidPattern.MatchString(id) {
		return badRequest("parameter", "statementId", "must be a UUID")
	}
	body, parts, err := readStatementBody(c)
	if err != nil {
		return err
	}
	st, err := xapi.DecodeStatement(body, version(c))
	if err != nil {
		return err
	}
	switch {
	case st.ID == "":
		// Communication §2.1.1: the statementId parameter gives the id.
		if st, err = withID(body, id, version(c)); err != nil {
			return err
		}
	case !strings.EqualFold(st.ID, id):
		return badRequest("parameter", "statementId", "must match the statement's id")
	}
	if _, err := s.store(c, []xapi.Statement{*st}, parts); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// handlePostStatements stores one statement or an array of them, all or
// none, and returns their ids (Communication §2.1.2).
func (s *Server) handlePostStatements(c echo.Context) error {
	if err := onlyParams(c.QueryParams()); err != nil {
		return err
	}
	body, parts, err := readStatementBody(c)
	if err != nil {
		return err
	}
	var sts []xapi.Statement
	if first := firstByte(body); first == '[' {
		if sts, err = xapi.DecodeStatements(body, version(c)); err != nil {
			return err
		}
	} else {
		st, err := xapi.DecodeStatement(body, version(c))
		if err != nil {
			return err
		}
		sts = []xapi.Statement{*st}
	}
	ids, err := s.store(c, sts, parts)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ids)
}

func (s *Server) store(c echo.Context, sts []xapi.Statement, parts map[string]lrs.Attachment) ([]string, error) {
	cred, _ := credential(c)
	if err := checkStatements(c, sts); err != nil {
		return nil, err
	}
	authority, err := xapi.ParseAgent(cred.Authority, xapi.Version200)
	if err != nil {
		return nil, err
	}
	ids, err := s.svc.StoreStatements(c.Request().Context(), lrs.Batch{
		Statements: sts, Attachments: parts, Version: version(c), Authority: authority,
		Define: s.cfg.DefineAny || lrs.Allows(cred.Scopes, lrs.ScopeDefine),
	})
	if err == nil {
		s.endSession(c, sts)
	}
	return ids, err
}

// withID decodes a statement again with the id the PUT parameter gives it,
// spliced in as the first member so every other byte stays as sent.
func withID(body []byte, id string, v xapi.Version) (*xapi.Statement, error) {
	i := bytes.IndexByte(body, '{')
	rest := bytes.TrimLeft(body[i+1:], " \t\r\n")
	spliced := make([]byte, 0, len(body)+len(id)+8)
	spliced = append(spliced, `{"id":"`...)
	spliced = append(spliced, id...)
	spliced = append(spliced, '"')
	if len(rest) > 0 && rest[0] != '}' {
		spliced = append(spliced, ',')
	}
	spliced = append(spliced, rest...)
	return xapi.DecodeStatement(spliced, v)
}

// readStatementBody returns the statement JSON and, for multipart/mixed,
// the attachment parts keyed by their hash.
func readStatementBody(c echo.Context) ([]byte, map[string]lrs.Attachment, error) {
	req := c.Request()
	mt, params, err := mime.ParseMediaType(req.Header.Get(echo.HeaderContentType))
	if err != nil {
		return nil, nil, badRequest("header", "Content-Type", "must be application/json or multipart/mixed")
	}
	switch mt {
	case "application/json":
		body, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, nil, err
		}
		return body, nil, nil
	case "multipart/mixed":
		return readMultipart(req.Body, params["boundary"])
	}
	return nil, nil, badRequest("header", "Content-Type", "must be application/json or multipart/mixed, not "+mt)
}

func firstByte(b []byte) byte {
	b = bytes.TrimLeft(b, " \t\r\n")
	if len(b) == 0 {
		return 0
	}
	return b[0]
}

// consistentThrough sets X-Experience-API-Consistent-Through on every
// response to a Statements resource request, refusals included
// (Communication §2.1.3: "on all responses"); it runs before routing, so
// that what the alternate request syntax and the version check refuse
// carries it too.
func (s *Server) consistentThrough(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if c.Request().URL.Path == "/xapi/statements" {
			c.Response().Header().Set("X-Experience-API-Consistent-Through", s.svc.ConsistentThrough().UTC().Format(time.RFC3339Nano))
		}
		return next(c)
	}
}

// uuidPattern is the RFC 4122 text form xAPI uses for statement ids.
var uuidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
