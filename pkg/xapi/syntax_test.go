package xapi

import (
	"testing"
	"time"
)

func TestValidLangTag(t *testing.T) {
	valid := []string{
		"en", "en-US", "es-MX", "tlh", "zh-Hant", "zh-Hant-TW", "zh-min-nan", "zh-yue-HK", "sl-rozaj-biske",
		"de-CH-1901", "hy-Latn-IT-arevela", "en-US-x-twain", "x-whatever", "i-klingon", "en-GB-oed",
		"sgn-BE-FR", "EN-us", "en-a-bbb-x-a-ccc", "es-419", "und", "english", "qaa-Qaaa-QM-x-southern",
		"en-a-bbb-b-ccc", "en-US-x-a-x-b", "sl-rozaj-biske-1994",
	}
	invalid := []string{
		"", "something", "en-", "-en", "en--US", "e", "123", "en_US", "en-US-", "x", "en-x", "a-DE",
		"en-a", "ar-a-aaa-b-bbb-a-ccc-", "en-abcdefghi", "de-419-DE", "en US", "en-Latn-Latn",
		// A singleton or a variant twice (RFC 5646 §2.2.5, §2.2.6).
		"ar-a-aaa-b-bbb-a-ccc", "zh-z-aaa-z-bbb-c-ccc", "en-a-bbb-A-ccc", "de-1901-1901", "sl-rozaj-ROZAJ",
	}
	for _, tag := range valid {
		if !validLangTag(tag) {
			t.Errorf("validLangTag(%q) = false, want true", tag)
		}
	}
	for _, tag := range invalid {
		if validLangTag(tag) {
			t.Errorf("validLangTag(%q) = true, want false", tag)
		}
	}
}

func TestValidDuration(t *testing.T) {
	valid := []string{
		"PT4H35M59.14S", "PT16559.14S", "P3Y1M29DT4H35M59.14S", "P3Y", "P4W", "PT1H0M0.1S", "PT0S",
		"P1D", "PT1.5H", "P1DT2H", "PT1,5S", "P0Y0M0DT0H0M0.001S", "PT1M", "P1M",
	}
	invalid := []string{
		"", "P", "PT", "P1DT", "PA1H0M0S", "P4W1D", "P1W2W", "PT1S1M", "P1H", "PT1D", "P1.5YT1H",
		"PT1.S", "PT.5S", "-PT1S", "1H", "pt1s", "P0003-01-29T04:35:59", "PT1H1H", "P1Y2Y", "PT1S ",
	}
	for _, d := range valid {
		if !validDuration(d) {
			t.Errorf("validDuration(%q) = false, want true", d)
		}
	}
	for _, d := range invalid {
		if validDuration(d) {
			t.Errorf("validDuration(%q) = true, want false", d)
		}
	}
	for _, tt := range []struct{ a, b string }{{"PT1.234S", "PT1.23S"}, {"PT1.2S", "PT1.2S"}, {"PT1H", "PT1H"}, {"PT1,239S", "PT1,23S"}} {
		if got := comparableDuration(tt.a); got != tt.b {
			t.Errorf("comparableDuration(%q) = %q, want %q", tt.a, got, tt.b)
		}
	}
}

func TestParseTimestamp(t *testing.T) {
	utc := func(s string) time.Time {
		tm, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	tests := []struct {
		in   string
		v    Version
		want string // RFC 3339 in UTC; "" when invalid
	}{
		{"2015-11-18T12:17:00+00:00", Version103, "2015-11-18T12:17:00Z"},
		{"2013-05-18T05:32:34.804Z", Version103, "2013-05-18T05:32:34.804Z"},
		{"2013-05-18T05:32:34.804123456789Z", Version103, "2013-05-18T05:32:34.804123456Z"},
		{"2013-05-18T07:32:34+02:00", Version103, "2013-05-18T05:32:34Z"},
		{"2013-05-18T03:02:34-0230", Version103, "2013-05-18T05:32:34Z"},
		{"2013-05-18T07:32:34+02", Version103, "2013-05-18T05:32:34Z"},
		{"2013-05-18T05:32:34", Version103, "2013-05-18T05:32:34Z"},
		{"2013-05-18T05:32Z", Version103, "2013-05-18T05:32:00Z"},
		{"20130518T053234Z", Version103, "2013-05-18T05:32:34Z"},
		{"20130518T053234,5+0100", Version103, "2013-05-18T04:32:34.5Z"},
		{"2016-12-31T23:59:60Z", Version103, "2017-01-01T00:00:00Z"},
		{"2012-02-29T00:00:00Z", Version103, "2012-02-29T00:00:00Z"},
		{"2008-09-15 15:53:00.601+00:00", Version200, "2008-09-15T15:53:00.601Z"},
		{"2008-09-15t15:53:00.601z", Version200, "2008-09-15T15:53:00.601Z"},
		{"2008-09-15 15:53:00.601+00:00", Version103, ""},
		{"2008-09-15t15:53:00Z", Version103, ""},
		{"2008-09-15T15:53:00z", Version103, ""},
		{"2008-09-15T15:53:00.601-00", Version200, ""},
		{"2008-09-15T15:53:00.601-0000", Version103, ""},
		{"2008-09-15T15:53:00.601-00:00", Version200, ""},
		{"2008-09-15T15:53:00+24:00", Version103, ""},
		{"2008-09-15T24:00:00Z", Version103, ""},
		{"2013-02-29T00:00:00Z", Version103, ""},
		{"2013-05-18T05:32:34.Z", Version103, ""},
		{"2013-05-1805:32:34Z", Version103, ""},
		{"2013-0518T053234Z", Version103, ""},
		{"20130518T05:32:34Z", Version103, ""},
		{"2013-05-18", Version103, ""},
		{"2013-05-18T05", Version103, ""},
		{"13-05-18T05:32:34Z", Version103, ""},
		{"2013-05-18T05:32:34ZZ", Version103, ""},
		{"Tue Feb 25 2014", Version103, ""},
	}
	for _, tt := range tests {
		got, ok := parseTimestamp(tt.in, tt.v)
		switch {
		case tt.want == "" && ok:
			t.Errorf("parseTimestamp(%q, %v) = %v, want invalid", tt.in, tt.v, got)
		case tt.want != "" && (!ok || !got.Equal(utc(tt.want))):
			t.Errorf("parseTimestamp(%q, %v) = %v, %v; want %s", tt.in, tt.v, got, ok, tt.want)
		}
	}
}

func TestValidIRI(t *testing.T) {
	valid := []string{
		"http://adlnet.gov/expapi/verbs/created", "http://example.com/فعل/خواندن", "urn:uuid:" + uuid1,
		"tag:adlnet.gov,2013:expapi:0.9:activities:x", "https://www.youtube.com/watch?v=xh4kIiH3Sm8",
		"http://example.com/xapi/verbs#defenestrated", "mailto:a@example.com", "http://e.com/%20x", "a:b",
	}
	invalid := []string{
		"", "example.com", "/relative", ":x", "1abc:x", "http:", "http://exa mple.com", "http://e.com/<x>",
		"http://e.com/a#b#c", "http://e.com/%2", "http://e.com/%zz", "http://e.com/\x7f", "ht_tp://e.com",
		"http://e.com/{x}", "http://e.com/\u0085",
	}
	for _, s := range valid {
		if !validIRI(s) {
			t.Errorf("validIRI(%q) = false, want true", s)
		}
	}
	for _, s := range invalid {
		if validIRI(s) {
			t.Errorf("validIRI(%q) = true, want false", s)
		}
	}
}

func TestValidUUIDAndMbox(t *testing.T) {
	for _, tt := range []struct {
		s    string
		want bool
	}{
		{uuid1, true}, {"FD41C918-B88B-4B20-A0A5-A4C32391AAA0", true}, {"12345678-1234-5678-1234-567812345678", true},
		{"00000000-0000-0000-0000-000000000000", true}, {"fd41c918b88b4b20a0a5a4c32391aaa0", false},
		{"{fd41c918-b88b-4b20-a0a5-a4c32391aaa0}", false}, {"fd41c918-b88b-4b20-a0a5-a4c32391aaag", false},
	} {
		if got := validUUID(tt.s); got != tt.want {
			t.Errorf("validUUID(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
	for _, tt := range []struct {
		s    string
		want bool
	}{
		{"mailto:a@example.com", true}, {"MAILTO:a@example.com", true}, {"mailto:a.b+c@x", true},
		{"mailto:@example.com", false}, {"mailto:a", false}, {"mailto:a@b.com?subject=x", false},
		{"mailto:", false}, {"a@example.com", false}, {"http://a@example.com", false},
	} {
		if got := validMbox(tt.s); got != tt.want {
			t.Errorf("validMbox(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
	if got := canonicalMbox("MAILTO:Ann.Lee@Example.COM"); got != "mailto:Ann.Lee@example.com" {
		t.Errorf("canonicalMbox = %q", got)
	}
}
