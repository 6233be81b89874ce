package api

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/coursekit/coursekit/lrs"
)

// DefaultMaxDocumentBytes is the document size limit when Config leaves it
// zero.
const DefaultMaxDocumentBytes = 2 << 20

// registerDocumentRoutes adds the State, Activity Profile and Agent Profile
// resources and the Activities and Agents resources, when the server has
// them (Config.Documents).
func registerDocumentRoutes(g *echo.Group, s *Server) {
	if s.cfg.Documents == nil {
		return
	}
	for _, r := range docResources {
		read, write := s.requireScope(r.read), s.requireScope(r.write)
		g.GET(r.path, s.handleGetDocument(r), read)
		g.HEAD(r.path, s.handleGetDocument(r), read)
		g.PUT(r.path, s.handleWriteDocument(r), write)
		g.POST(r.path, s.handleWriteDocument(r), write)
		g.DELETE(r.path, s.handleDeleteDocument(r), write)
	}
	registerActivityRoutes(g, s)
	registerAgentRoutes(g, s)
}

// handleGetDocument returns one document exactly as stored, or with no id
// parameter the ids in the context (Communication §2.2–§2.7), with its
// ETag and Last-Modified; HEAD too.
func (s *Server) handleGetDocument(r docResource) echo.HandlerFunc {
	return func(c echo.Context) error {
		dq, err := r.parse(c.QueryParams(), c.Request().Method, version(c))
		if err != nil {
			return err
		}
		if err := checkDocument(c, dq.key, false); err != nil {
			return err
		}
		ctx := c.Request().Context()
		if dq.key.ID != "" {
			doc, err := s.cfg.Documents.Document(ctx, dq.key)
			if err != nil {
				return err
			}
			return writeDocument(c, doc.ContentType, doc.Content, doc.SHA1, doc.Updated)
		}
		ids, latest, err := s.cfg.Documents.IDs(ctx, dq.key, dq.since)
		if err != nil {
			return err
		}
		if ids == nil {
			ids = []string{}
		}
		body, err := json.Marshal(ids)
		if err != nil {
			return err
		}
		return writeDocument(c, echo.MIMEApplicationJSON, body, "", latest)
	}
}

// writeDocument answers a GET or HEAD with body, its ETag (the SHA-1 of
// the body, computed when sum is empty) and, unless updated is zero,
// Last-Modified.
func writeDocument(c echo.Context, contentType string, body []byte, sum string, updated time.Time) error {
	if sum == "" {
		h := sha1.Sum(body)
		sum = hex.EncodeToString(h[:])
	}
	hdr := c.Response().Header()
	hdr.Set("ETag", `"`+sum+`"`)
	// A document is returned as stored, with the type it was sent with, so
	// a browser must not run one (text/html, say) as a page of the LRS.
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	if !updated.IsZero() {
		hdr.Set("Last-Modified", updated.UTC().Format(http.TimeFormat))
	}
	if c.Request().Method == http.MethodHead {
		hdr.Set(echo.HeaderContentType, contentType)
		hdr.Set(echo.HeaderContentLength, itoa(len(body)))
		return c.NoContent(http.StatusOK)
	}
	return c.Blob(http.StatusOK, contentType, body)
}

// handleWriteDocument stores a document (PUT) or merges it into the stored
// one (POST), honouring If-Match and If-None-Match, and answers 204 with
// the stored document's ETag.
func (s *Server) handleWriteDocument(r docResource) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		dq, err := r.parse(c.QueryParams(), req.Method, version(c))
		if err != nil {
			return err
		}
		if err := checkDocument(c, dq.key, true); err != nil {
			return err
		}
		pre, err := preconditions(req.Header)
		if err != nil {
			return err
		}
		content, sum, err := readDocument(req, s.maxDocument())
		if err != nil {
			return err
		}
		contentType := req.Header.Get(echo.HeaderContentType)
		if contentType == "" {
			contentType = echo.MIMEOctetStream
		}
		doc := lrs.Document{Key: dq.key, ContentType: contentType, Content: content, SHA1: sum}
		if req.Method == http.MethodPut {
			sum, err = s.cfg.Documents.Put(req.Context(), doc, pre, version(c))
		} else {
			sum, err = s.cfg.Documents.Post(req.Context(), doc, pre)
		}
		if err != nil {
			return err
		}
		c.Response().Header().Set("ETag", `"`+sum+`"`)
		return c.NoContent(http.StatusNoContent)
	}
}

// handleDeleteDocument deletes one document, honouring If-Match and
// If-None-Match, or without stateId every state document in the context.
func (s *Server) handleDeleteDocument(r docResource) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		dq, err := r.parse(c.QueryParams(), req.Method, version(c))
		if err != nil {
			return err
		}
		if err := checkDocument(c, dq.key, true); err != nil {
			return err
		}
		pre, err := preconditions(req.Header)
		if err != nil {
			return err
		}
		if dq.key.ID == "" {
			if !pre.None() {
				return badRequest("header", "If-Match", "applies to one document: give "+r.idParam+", or delete them all without If-Match and If-None-Match")
			}
			err = s.cfg.Documents.DeleteAll(req.Context(), dq.key)
		} else {
			err = s.cfg.Documents.Delete(req.Context(), dq.key, pre)
		}
		if err != nil {
			return err
		}
		return c.NoContent(http.StatusNoContent)
	}
}

func (s *Server) maxDocument() int64 {
	if s.cfg.MaxDocumentBytes > 0 {
		return s.cfg.MaxDocumentBytes
	}
	return DefaultMaxDocumentBytes
}

// readDocument reads a request body of at most max bytes into one buffer,
// hashing it as it arrives. With a Content-Length, as clients send, the
// buffer is allocated once at its final size: a large document is never
// copied into a bigger buffer, nor read twice to be hashed.
func readDocument(req *http.Request, max int64) ([]byte, string, error) {
	if req.ContentLength > max {
		return nil, "", echo.ErrStatusRequestEntityTooLarge
	}
	size := int64(512)
	if req.ContentLength >= 0 {
		size = req.ContentLength + 1 // room to see the end of the body
	}
	buf := make([]byte, 0, size)
	h := sha1.New()
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)] // grow, as append does
		}
		n, err := req.Body.Read(buf[len(buf):cap(buf)])
		h.Write(buf[len(buf) : len(buf)+n])
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > max {
			return nil, "", echo.ErrStatusRequestEntityTooLarge
		}
		if errors.Is(err, io.EOF) {
			return buf, hex.EncodeToString(h.Sum(nil)), nil
		}
		if err != nil {
			return nil, "", err
		}
	}
}
