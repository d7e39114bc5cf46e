package sim

// SetUnsafeShed removes a safety mechanism of shedding for a test (see
// unsafeShed); "" restores it.
func SetUnsafeShed(mode string) { unsafeShed = mode }
