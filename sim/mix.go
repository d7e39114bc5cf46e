package sim

import (
	"github.com/casimlab/casim/model"
	"github.com/casimlab/casim/protocol"
)

// For is the mix p's clients actually draw from: the shares of operations
// p does not support are left out and the others keep their proportions,
// scaled to sum to 1. A person reading a run's header needs this, not the
// mix asked for (lww with mix=50/0/50 runs only reads). A mix with no
// share p supports is returned as it is (validation refuses it).
func (m Mix) For(p protocol.Protocol) Mix {
	shares := [3]float64{m.ReadRatio, m.WriteRatio, m.CasRatio}
	total := 0.0
	for k := range shares {
		if !p.Supports(model.Kind(k)) {
			shares[k] = 0
		}
		total += shares[k]
	}
	if total <= 0 {
		return m
	}
	return Mix{ReadRatio: shares[0] / total, WriteRatio: shares[1] / total, CasRatio: shares[2] / total}
}
