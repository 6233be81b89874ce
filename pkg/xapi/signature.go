package xapi

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"crypto/sha1"
	_ "crypto/sha256" // RS256
	_ "crypto/sha512" // RS384, RS512
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"strings"
)

// jwsHashes are the JWS algorithms Data §2.6 allows: "RS256", "RS384" or
// "RS512" (RSASSA-PKCS1-v1_5, RFC 7518 §3.3).
var jwsHashes = map[string]crypto.Hash{
	"RS256": crypto.SHA256,
	"RS384": crypto.SHA384,
	"RS512": crypto.SHA512,
}

// VerifySignature checks the JWS of a signed statement (Data §2.6), the
// content of its attachment with usageType SignatureUsageType, as the LRS
// MUST before storing it:
//
//   - jws is a JWS Compact Serialization (required by 2.0) with an
//     algorithm of RS256, RS384 or RS512 and no critical header parameters
//     this package would have to understand;
//   - its payload is a statement, and is equivalent to s (Data §2.3.1; see
//     Equivalent), with the same id when both have one;
//   - when the header has an "x5c" certificate chain, the first
//     certificate's RSA key verifies the signature and each certificate is
//     signed by the next. No trust anchor is required: the specification
//     calls this a check for mistakes, "not ... a security measure".
//
// Without "x5c" there is no key to verify with, and a well-formed JWS
// whose payload matches is accepted. Every error wraps ErrInvalidSignature.
func VerifySignature(s *Statement, jws []byte) error {
	parts := strings.Split(string(bytes.TrimSpace(jws)), ".")
	if len(parts) != 3 {
		return sigError("not a JWS Compact Serialization (three base64url parts separated by dots)")
	}
	header, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil {
		return sigError("the JWS header is not base64url: %v", err)
	}
	alg, chain, err := jwsHeader(header)
	if err != nil {
		return err
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return sigError("the JWS payload is not base64url: %v", err)
	}
	signed, err := DecodeStatement(payload, Version200)
	if err != nil {
		return sigError("the JWS payload is not a valid statement: %v", err)
	}
	if signed.ID != "" && s.ID != "" && signed.ID != s.ID {
		return sigError("the JWS payload is statement %s, not %s", signed.ID, s.ID)
	}
	if !Equivalent(signed, s) {
		return sigError("the JWS payload does not match the statement")
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return sigError("the JWS signature is not base64url: %v", err)
	}
	if len(chain) == 0 {
		return nil
	}
	pub, ok := chain[0].PublicKey.(*rsa.PublicKey)
	if !ok {
		return sigError("the x5c certificate's key is not an RSA key, as %s needs", alg)
	}
	h := jwsHashes[alg].New()
	h.Write([]byte(parts[0] + "." + parts[1]))
	if err := rsa.VerifyPKCS1v15(pub, jwsHashes[alg], h.Sum(nil), sig); err != nil {
		return sigError("the signature does not verify with the x5c certificate's key")
	}
	for i := 0; i+1 < len(chain); i++ {
		if err := checkSignedBy(chain[i], chain[i+1]); err != nil {
			return sigError("x5c certificate %d is not signed by certificate %d: %v", i, i+1, err)
		}
	}
	return nil
}

func sigError(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalidSignature, fmt.Sprintf(format, args...))
}

// jwsHeader reads the protected header: its algorithm and x5c chain.
func jwsHeader(header []byte) (string, []*x509.Certificate, error) {
	t, perr := parseTree(string(header))
	if perr != nil {
		return "", nil, sigError("the JWS header is not JSON: %v", perr)
	}
	defer t.release()
	root := t.root()
	if t.at(root).kind != kindObject {
		return "", nil, sigError("the JWS header is not a JSON object")
	}
	if t.get(root, "crit") >= 0 {
		// RFC 7515 §4.1.11: unknown critical extensions make a JWS invalid.
		return "", nil, sigError(`the JWS header has "crit" extensions, which are not supported`)
	}
	alg := t.str(root, "alg")
	if _, ok := jwsHashes[alg]; !ok {
		return "", nil, sigError("JWS algorithm %q is not allowed: use RS256, RS384 or RS512", alg)
	}
	x5c := t.get(root, "x5c")
	if x5c < 0 {
		return alg, nil, nil
	}
	if t.at(x5c).kind != kindArray || t.at(x5c).n == 0 {
		return "", nil, sigError("x5c is not a non-empty array of certificates")
	}
	chain := make([]*x509.Certificate, t.at(x5c).n)
	for j := range t.at(x5c).n {
		e := t.at(t.elem(x5c, j))
		if e.kind != kindString {
			return "", nil, sigError("x5c[%d] is not a string", j)
		}
		// RFC 7515 §4.1.6: standard base64 (not base64url) of DER.
		der, err := base64.StdEncoding.DecodeString(e.str)
		if err != nil {
			return "", nil, sigError("x5c[%d] is not base64: %v", j, err)
		}
		if chain[j], err = x509.ParseCertificate(der); err != nil {
			return "", nil, sigError("x5c[%d] is not an X.509 certificate: %v", j, err)
		}
	}
	return alg, chain, nil
}

// checkSignedBy checks that parent issued child. crypto/x509 no longer
// verifies SHA-1 certificate signatures, but the specification's own
// example chain (Data Appendix D) uses them, and this check is about
// mistakes rather than trust, so SHA-1 with RSA is verified directly.
func checkSignedBy(child, parent *x509.Certificate) error {
	if !bytes.Equal(child.RawIssuer, parent.RawSubject) {
		return fmt.Errorf("issuer %q is not the next certificate's subject %q", child.Issuer, parent.Subject)
	}
	if child.SignatureAlgorithm == x509.SHA1WithRSA {
		pub, ok := parent.PublicKey.(*rsa.PublicKey)
		if !ok {
			return fmt.Errorf("SHA1-RSA signature but the issuer's key is not RSA")
		}
		sum := sha1.Sum(child.RawTBSCertificate)
		return rsa.VerifyPKCS1v15(pub, crypto.SHA1, sum[:], child.Signature)
	}
	return parent.CheckSignature(child.SignatureAlgorithm, child.RawTBSCertificate, child.Signature)
}
