// Package csvsafe keeps spreadsheets from running CSV cells as formulas.
// The reports' CSV (the dashboard's download and coursekit report --csv)
// holds text from statements, which anyone with a write credential sends.
package csvsafe

import "strings"

// Cell neutralises a cell a spreadsheet would read as a formula: one
// starting with = + - @, or a tab or carriage return, which some
// spreadsheets skip before one (OWASP's list), gets a leading apostrophe.
func Cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
