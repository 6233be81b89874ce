package sqlstore

import (
	"bytes"
	"testing"
	"time"
)

// TestPGArrayRoundTrip sends binary arrays through the batcher's pool and
// reads their elements back as PostgreSQL parsed them: bytes that are not
// text (NUL, invalid UTF-8), text beyond ASCII, empty elements, and times
// on both sides of PostgreSQL's epoch, to the microsecond.
func TestPGArrayRoundTrip(t *testing.T) {
	s := mustOpenPostgres(t)
	blobs := [][]byte{{0, 1, 0xff, '"', '\\', '{'}, {}, []byte(`{"a":"é ✓"}`)}
	texts := []string{"", `quote " and \ and {,}`, "learner-ü ✓", "NULL"}
	times := []time.Time{
		time.Date(2026, 12, 3, 10, 0, 0, 123456000, time.UTC),
		time.Date(1999, 12, 31, 23, 59, 59, 999999000, time.UTC),
		time.Date(1970, 1, 1, 0, 0, 0, 1000, time.UTC),
	}
	ba := newPGArray(oidBytea, len(blobs), 0)
	for _, b := range blobs {
		ba = ba.addBytes(b)
	}
	ta := newPGArray(oidText, len(texts), 0)
	for _, v := range texts {
		ta = ta.addString(v)
	}
	tm := newPGArray(oidTimestamptz, len(times), 0)
	for _, v := range times {
		tm = tm.addTime(v)
	}

	rows, err := s.docsDB.Query(`SELECT v, NULL::text, NULL::timestamptz FROM unnest($1::bytea[]) AS v
		UNION ALL SELECT NULL, v, NULL FROM unnest($2::text[]) AS v
		UNION ALL SELECT NULL, NULL, v FROM unnest($3::timestamptz[]) AS v`, []byte(ba), []byte(ta), []byte(tm))
	if err != nil {
		t.Fatalf("query = %v", err)
	}
	defer rows.Close()
	var gotBlobs [][]byte
	var gotTexts []string
	var gotTimes []time.Time
	for rows.Next() {
		var (
			b  []byte
			tx *string
			ts *time.Time
		)
		if err := rows.Scan(&b, &tx, &ts); err != nil {
			t.Fatal(err)
		}
		switch {
		case b != nil:
			gotBlobs = append(gotBlobs, b)
		case tx != nil:
			gotTexts = append(gotTexts, *tx)
		case ts != nil:
			gotTimes = append(gotTimes, *ts)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(gotBlobs) != len(blobs) {
		t.Fatalf("bytea: %d elements, want %d", len(gotBlobs), len(blobs))
	}
	for i := range blobs {
		if !bytes.Equal(gotBlobs[i], blobs[i]) {
			t.Errorf("bytea[%d] = %q, want %q", i, gotBlobs[i], blobs[i])
		}
	}
	if len(gotTexts) != len(texts) {
		t.Fatalf("text: %q, want %q", gotTexts, texts)
	}
	for i := range texts {
		if gotTexts[i] != texts[i] {
			t.Errorf("text[%d] = %q, want %q", i, gotTexts[i], texts[i])
		}
	}
	if len(gotTimes) != len(times) {
		t.Fatalf("timestamptz: %v, want %v", gotTimes, times)
	}
	for i := range times {
		if !gotTimes[i].Equal(times[i]) {
			t.Errorf("timestamptz[%d] = %v, want %v", i, gotTimes[i], times[i])
		}
	}
}
