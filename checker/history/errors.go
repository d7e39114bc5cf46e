package history

import (
	"bufio"
	"errors"
	"fmt"
)

// ParseError is a bad-input error: the line it was found on (1-based; 0
// when the problem is with the input as a whole) and what is wrong.
// HISTORY.md asks for both, so that a person can go straight to the line.
type ParseError struct {
	Line int
	Msg  string
}

func (e *ParseError) Error() string {
	if e.Line <= 0 {
		return e.Msg
	}
	return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
}

func errorf(line int, format string, args ...any) *ParseError {
	return &ParseError{Line: line, Msg: fmt.Sprintf(format, args...)}
}

// scanError says what stopped a line scanner at line: a line over
// maxLineBytes, or the reader's own error.
func scanError(err error, line int) error {
	if errors.Is(err, bufio.ErrTooLong) {
		return errorf(line, "line longer than %d bytes", maxLineBytes)
	}
	return errorf(line, "%v", err)
}
