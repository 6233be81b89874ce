package xapi

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/big"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestVerifySignatureSpecExample verifies Data Appendix D: its JWS, signed
// with the example key, and the statement it was attached to. The example
// chain's certificates are signed with SHA-1.
func TestVerifySignatureSpecExample(t *testing.T) {
	s := mustDecode(t, string(readFile(t, "testdata/spec/data-appendix-d-signed.json")), Version103)
	jws := readFile(t, "testdata/spec/data-appendix-d.jws")
	if err := VerifySignature(s, jws); err != nil {
		t.Fatalf("VerifySignature(Appendix D) = %v", err)
	}
	if a, ok := s.Signature(); !ok || a.Length != 4235 {
		t.Errorf("Signature() = %+v, %v", a, ok)
	}
	other := mustDecode(t, strings.Replace(string(readFile(t, "testdata/spec/data-appendix-d-signed.json")), "experienced", "failed", 1), Version103)
	if err := VerifySignature(other, jws); !errors.Is(err, ErrInvalidSignature) {
		t.Errorf("VerifySignature(changed verb) = %v, want ErrInvalidSignature", err)
	}
}

type testSigner struct {
	key, caKey *rsa.PrivateKey
	cert, ca   []byte // DER
}

var (
	signerOnce sync.Once
	signer     testSigner
)

// testKeys returns a leaf key and certificate issued by a CA, generated once.
func testKeys(t *testing.T) *testSigner {
	t.Helper()
	signerOnce.Do(func() {
		var err error
		if signer.caKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			t.Fatal(err)
		}
		if signer.key, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			t.Fatal(err)
		}
		now := time.Now()
		caTmpl := &x509.Certificate{
			SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Test CA"},
			NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour),
			IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
		}
		if signer.ca, err = x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &signer.caKey.PublicKey, signer.caKey); err != nil {
			t.Fatal(err)
		}
		leafTmpl := &x509.Certificate{
			SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "Signer"},
			NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour),
		}
		if signer.cert, err = x509.CreateCertificate(rand.Reader, leafTmpl, caTmpl, &signer.key.PublicKey, signer.caKey); err != nil {
			t.Fatal(err)
		}
	})
	if signer.key == nil {
		t.Fatal("key generation failed")
	}
	return &signer
}

// sign returns a compact JWS of payload with the given header.
func sign(t *testing.T, key *rsa.PrivateKey, header map[string]any, payload string) string {
	t.Helper()
	h, err := json.Marshal(header)
	if err != nil {
		t.Fatal(err)
	}
	input := base64.RawURLEncoding.EncodeToString(h) + "." + base64.RawURLEncoding.EncodeToString([]byte(payload))
	hash := map[any]crypto.Hash{"RS256": crypto.SHA256, "RS384": crypto.SHA384, "RS512": crypto.SHA512}[header["alg"]]
	if hash == 0 {
		hash = crypto.SHA256
	}
	d := hash.New()
	d.Write([]byte(input))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, hash, d.Sum(nil))
	if err != nil {
		t.Fatal(err)
	}
	return input + "." + base64.RawURLEncoding.EncodeToString(sig)
}

func TestVerifySignature(t *testing.T) {
	k := testKeys(t)
	b64 := base64.StdEncoding.EncodeToString
	chain := []string{b64(k.cert), b64(k.ca)}
	payload := stmt("id", `"`+uuid1+`"`, "timestamp", `"2013-04-01T12:00:00Z"`)
	// What the LRS receives: the statement with its signature attachment,
	// members reordered.
	received := mustDecode(t, `{"attachments":[{"usageType":"`+SignatureUsageType+`","display":{"en-US":"Signature"},"contentType":"application/octet-stream","length":4235,"sha2":"`+sha256Hex+`"}],`+payload[1:], Version103)

	otherKey, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	// A CA with the right name but another key: the chain must not verify.
	impostorTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(3), Subject: pkix.Name{CommonName: "Test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true,
	}
	impostor, err := x509.CreateCertificate(rand.Reader, impostorTmpl, impostorTmpl, &otherKey.PublicKey, otherKey)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		jws  string
		ok   bool
	}{
		{"RS256 with chain", sign(t, k.key, map[string]any{"alg": "RS256", "x5c": chain}, payload), true},
		{"RS384 leaf only", sign(t, k.key, map[string]any{"alg": "RS384", "x5c": chain[:1]}, payload), true},
		{"RS512", sign(t, k.key, map[string]any{"alg": "RS512", "x5c": chain}, payload), true},
		{"no x5c", sign(t, otherKey, map[string]any{"alg": "RS256"}, payload), true},
		{"payload without id", sign(t, k.key, map[string]any{"alg": "RS256", "x5c": chain}, stmt("timestamp", `"2013-04-01T14:00:00+02:00"`)), true},
		{"surrounding whitespace", "\r\n" + sign(t, k.key, map[string]any{"alg": "RS256", "x5c": chain}, payload) + "\n", true},
		{"tampered payload", sign(t, k.key, map[string]any{"alg": "RS256", "x5c": chain}, stmt("id", `"`+uuid1+`"`, "result", `{"success":true}`)), false},
		{"other statement id", sign(t, k.key, map[string]any{"alg": "RS256"}, stmt("id", `"00000000-0000-4000-8000-000000000000"`)), false},
		{"payload not a statement", sign(t, k.key, map[string]any{"alg": "RS256"}, `{"actor":{}}`), false},
		{"wrong key", sign(t, otherKey, map[string]any{"alg": "RS256", "x5c": chain}, payload), false},
		{"HS256", sign(t, k.key, map[string]any{"alg": "HS256"}, payload), false},
		{"none", sign(t, k.key, map[string]any{"alg": "none"}, payload), false},
		{"PS256", sign(t, k.key, map[string]any{"alg": "PS256"}, payload), false},
		{"crit", sign(t, k.key, map[string]any{"alg": "RS256", "crit": []string{"exp"}, "exp": 1}, payload), false},
		{"x5c not base64", sign(t, k.key, map[string]any{"alg": "RS256", "x5c": []string{"not base64!"}}, payload), false},
		{"x5c not a certificate", sign(t, k.key, map[string]any{"alg": "RS256", "x5c": []string{b64([]byte("hello"))}}, payload), false},
		{"x5c empty", sign(t, k.key, map[string]any{"alg": "RS256", "x5c": []string{}}, payload), false},
		{"x5c chain out of order", sign(t, k.key, map[string]any{"alg": "RS256", "x5c": []string{chain[0], chain[0]}}, payload), false},
		{"x5c chain with a stranger", sign(t, k.caKey, map[string]any{"alg": "RS256", "x5c": []string{chain[1], chain[0]}}, payload), false},
		{"x5c issuer with another key", sign(t, k.key, map[string]any{"alg": "RS256", "x5c": []string{chain[0], b64(impostor)}}, payload), false},
		{"two parts", strings.Join(strings.Split(sign(t, k.key, map[string]any{"alg": "RS256"}, payload), ".")[:2], "."), false},
		{"JSON serialization", `{"payload":"x","signatures":[]}`, false},
		{"signature not base64url", sign(t, k.key, map[string]any{"alg": "RS256"}, payload) + "+", false},
		{"header not JSON", "bm90IGpzb24." + base64.RawURLEncoding.EncodeToString([]byte(payload)) + ".c2ln", false},
	}
	for _, tt := range tests {
		err := VerifySignature(received, []byte(tt.jws))
		if tt.ok && err != nil {
			t.Errorf("%s: VerifySignature = %v, want nil", tt.name, err)
		}
		if testing.Verbose() && err != nil {
			t.Logf("%s: %v", tt.name, err)
		}
		if !tt.ok && !errors.Is(err, ErrInvalidSignature) {
			t.Errorf("%s: VerifySignature = %v, want ErrInvalidSignature", tt.name, err)
		}
	}
}
