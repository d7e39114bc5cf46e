package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// checkWritable makes sure every output file named can be written before
// a command does its work: a report path with a typo must not cost a
// minute's simulation first. A file that did not exist is removed again.
func checkWritable(paths ...string) error {
	for _, path := range paths {
		if path == "" {
			continue
		}
		_, statErr := os.Stat(path)
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE, 0o644)
		if err != nil {
			return fmt.Errorf("cannot write %s: %w", path, unwrapPath(err))
		}
		f.Close()
		if errors.Is(statErr, fs.ErrNotExist) {
			os.Remove(path)
		}
	}
	return nil
}

// unwrapPath drops the *PathError's repetition of the path.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// writeFile creates path and fills it with write, reporting either error.
func writeFile(path string, write func(w io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return f.Close()
}
