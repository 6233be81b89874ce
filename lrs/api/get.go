package api

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/coursekit/coursekit/lrs"
	"github.com/coursekit/coursekit/pkg/xapi"
)

// handleGetStatements answers a single-statement GET or a query
// (Communication §2.1.3), and HEAD for both.
func (s *Server) handleGetStatements(c echo.Context) error {
	q := c.QueryParams()
	sq, err := parseStatementQuery(q, version(c))
	if err != nil {
		return err
	}
	opts := lrs.ReadOptions{
		Format:      sq.format,
		Languages:   xapi.ParseAcceptLanguage(c.Request().Header.Get("Accept-Language")),
		Attachments: sq.attachments,
	}
	// A credential that may read only its own statements gets only those.
	if cred, ok := credential(c); ok && !lrs.Allows(cred.Scopes, lrs.ScopeStatementsRead) {
		authority, err := xapi.ParseAgent(cred.Authority, xapi.Version200)
		if err != nil {
			return err
		}
		opts.Authority = authority.IFI()
	}
	ctx := c.Request().Context()
	if sq.id != "" {
		got, atts, err := s.svc.Statement(ctx, sq.id, sq.voided, opts)
		if err != nil {
			return err
		}
		c.Response().Header().Set("Last-Modified", got.Stored.UTC().Format(http.TimeFormat))
		return s.writeStatements(c, got.JSON, atts, sq.attachments)
	}
	page, err := s.svc.Statements(ctx, sq.filter, opts)
	if err != nil {
		return err
	}
	var body bytes.Buffer
	body.WriteString(`{"statements":[`)
	var newest time.Time
	for i, st := range page.Statements {
		if i > 0 {
			body.WriteByte(',')
		}
		body.Write(st.JSON)
		if st.Stored.After(newest) {
			newest = st.Stored
		}
	}
	body.WriteString(`],"more":"`)
	if page.More != nil {
		body.WriteString(moreURL(q, page.More))
	}
	body.WriteString(`"}`)
	if !newest.IsZero() {
		c.Response().Header().Set("Last-Modified", newest.UTC().Format(http.TimeFormat))
	}
	return s.writeStatements(c, body.Bytes(), page.Attachments, sq.attachments)
}

// moreURL is the relative IRL of the next page: the same query, continued
// after the cursor. The cursor is a position in stored order, so statements
// that arrive meanwhile never shift what the next page holds.
func moreURL(q url.Values, cur *lrs.Cursor) string {
	next := url.Values{}
	for k, v := range q {
		next[k] = v
	}
	next.Set("cursor", strconv.FormatInt(cur.Seq, 10))
	return "/xapi/statements?" + next.Encode()
}

// writeStatements sends JSON, or multipart/mixed with the attachments when
// they were asked for (Communication §2.1.4).
func (s *Server) writeStatements(c echo.Context, body []byte, atts []lrs.Attachment, multipart bool) error {
	if !multipart {
		if c.Request().Method == http.MethodHead {
			c.Response().Header().Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
			return c.NoContent(http.StatusOK)
		}
		return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, body)
	}
	data, contentType, err := writeMultipart(body, atts)
	if err != nil {
		return err
	}
	if c.Request().Method == http.MethodHead {
		c.Response().Header().Set(echo.HeaderContentType, contentType)
		return c.NoContent(http.StatusOK)
	}
	return c.Blob(http.StatusOK, contentType, data)
}
