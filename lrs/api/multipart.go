package api

import (
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"mime"
	"mime/multipart"
	"net/textproto"
	"strconv"
	"strings"

	"github.com/coursekit/coursekit/lrs"
)

// readMultipart reads a multipart/mixed statement request: the statements
// as the first part, then one part per attachment payload with its SHA-2
// hash in X-Experience-API-Hash (Communication §2.1.4). Each payload's hash
// is checked against its bytes.
func readMultipart(r io.Reader, boundary string) ([]byte, map[string]lrs.Attachment, error) {
	if boundary == "" {
		return nil, nil, badRequest("header", "Content-Type", "multipart/mixed needs a boundary")
	}
	mr := multipart.NewReader(r, boundary)
	first, err := mr.NextPart()
	if err != nil {
		return nil, nil, badRequest("body", "multipart", "has no statement part")
	}
	if mt, _, _ := mime.ParseMediaType(first.Header.Get("Content-Type")); mt != "application/json" {
		return nil, nil, badRequest("body", "multipart[0]", "must be the statements as application/json")
	}
	statements, err := io.ReadAll(first)
	if err != nil {
		return nil, nil, fmt.Errorf("read statement part: %w", err)
	}
	parts := map[string]lrs.Attachment{}
	for i := 1; ; i++ {
		// Raw: NextPart would decode quoted-printable and drop the header.
		p, err := mr.NextRawPart()
		if errors.Is(err, io.EOF) {
			return statements, parts, nil
		}
		if err != nil {
			return nil, nil, badRequest("body", "multipart", "is not well formed: "+err.Error())
		}
		// Communication §1.5.2: each part after the first has the encoding
		// binary; without the header, binary is assumed. Any other would
		// store bytes that are not the attachment.
		if cte := p.Header.Get("Content-Transfer-Encoding"); cte != "" && !strings.EqualFold(cte, "binary") {
			return nil, nil, badRequest("body", fmt.Sprintf("multipart[%d]", i), "Content-Transfer-Encoding must be binary, not "+strconv.Quote(cte))
		}
		hash := strings.ToLower(p.Header.Get("X-Experience-API-Hash"))
		if hash == "" {
			return nil, nil, badRequest("body", fmt.Sprintf("multipart[%d]", i), "has no X-Experience-API-Hash header")
		}
		data, err := io.ReadAll(p)
		if err != nil {
			return nil, nil, fmt.Errorf("read attachment part: %w", err)
		}
		if sum := sha2Of(data, len(hash)); sum != hash {
			return nil, nil, badRequest("body", fmt.Sprintf("multipart[%d]", i), "X-Experience-API-Hash does not match the part's content")
		}
		parts[hash] = lrs.Attachment{SHA2: hash, ContentType: p.Header.Get("Content-Type"), Data: data}
	}
}

// sha2Of hashes data with the SHA-2 function whose hex digest has n
// characters, or returns "" when no SHA-2 function has that length.
func sha2Of(data []byte, n int) string {
	var h hash.Hash
	switch n {
	case 56:
		h = sha256.New224()
	case 64:
		h = sha256.New()
	case 96:
		h = sha512.New384()
	case 128:
		h = sha512.New()
	default:
		return ""
	}
	h.Write(data)
	return hex.EncodeToString(h.Sum(nil))
}

// writeMultipart builds a multipart/mixed response: the JSON, then each
// attachment payload.
func writeMultipart(body []byte, atts []lrs.Attachment) ([]byte, string, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	w, err := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {"application/json"}})
	if err != nil {
		return nil, "", err
	}
	if _, err := w.Write(body); err != nil {
		return nil, "", err
	}
	for _, a := range atts {
		w, err := mw.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {a.ContentType},
			"Content-Transfer-Encoding": {"binary"},
			"X-Experience-API-Hash":     {a.SHA2},
		})
		if err != nil {
			return nil, "", err
		}
		if _, err := w.Write(a.Data); err != nil {
			return nil, "", err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), "multipart/mixed; boundary=" + mw.Boundary(), nil
}
