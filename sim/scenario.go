package sim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/casimlab/casim/protocol"
)

// Scenario describes a run completely: the configuration, the timed fault
// schedule and which client operations run. It is what `--scenario-out`
// writes and `--scenario` replays, and what shrinking reduces: every field
// can be edited by hand, and the same scenario gives the same trace hash.
type Scenario struct {
	// Version guards the format; it is 1.
	Version int `json:"casim_scenario"`
	Config
	// Schedule is the fault schedule. Nil (absent, or null in a file)
	// draws it from the seed; an empty list means no faults.
	Schedule []Fault `json:"schedule"`
	// Ops, if set, lists per client the indexes of the operations it runs
	// (0 .. OpsPerClient-1); the others are skipped. Each operation's
	// choices come from its own random stream, so skipping some leaves the
	// rest as they were.
	Ops [][]int `json:"ops,omitempty"`
	// Pins, if set, has the shape of Ops and fixes for each listed
	// operation what would otherwise depend on the operations before it:
	// its earliest invoke time and, for a cas, its expected value.
	// Shrinking pins every operation as it ran in the original scenario,
	// so that removing a client's earlier operations neither pulls its
	// later ones forward in time nor changes what its cas expects.
	Pins [][]Pin `json:"pins,omitempty"`
	// Choices, if set, make the scenario an explicit schedule found by
	// casim explore: one step a line, taken in Explore's model rather than
	// in the simulator (package explore replays it; casim run delegates to
	// it). The seed, faults and network then play no part.
	Choices []string `json:"choices,omitempty"`
	// Explore is the model the choices are taken in (explore's workload,
	// fault budget and timing), as package explore writes it.
	Explore json.RawMessage `json:"explore,omitempty"`
}

// Pin fixes one operation of a scenario (see Scenario.Pins).
type Pin struct {
	NotBeforeNs int64  `json:"not_before_ns"`
	Expected    *int64 `json:"expected,omitempty"`
}

// ScenarioVersion is the scenario format this package reads and writes.
const ScenarioVersion = 1

// NewScenario is the scenario of cfg with its schedule drawn from the seed.
// An invalid cfg gets no schedule; RunScenario then reports what is wrong.
func NewScenario(cfg Config) Scenario {
	cfg.Derive()
	sc := Scenario{Version: ScenarioVersion, Config: cfg}
	if cfg.Validate() == nil {
		sc.Schedule = drawSchedule(cfg)
	}
	return sc
}

// WriteJSON writes sc as indented JSON.
func (sc Scenario) WriteJSON(w io.Writer) error {
	sc.Version = ScenarioVersion
	b, err := json.MarshalIndent(sc, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// ReadScenario reads a scenario written by WriteJSON (or by hand). A
// setting the file leaves out takes its value from the protocol's default
// scenario, so a hand-written scenario need only say what differs.
// Unknown fields are errors, so a misspelt setting does not pass silently;
// errors name the line.
func ReadScenario(r io.Reader) (Scenario, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return Scenario{}, err
	}
	var head struct {
		Protocol string `json:"protocol"`
		Seed     uint64 `json:"seed"`
	}
	if json.Unmarshal(data, &head) == nil && head.Protocol != "" {
		if _, err := protocol.Lookup(head.Protocol); err != nil {
			return Scenario{}, err
		}
	}
	sc := Scenario{Config: DefaultConfig(head.Protocol, head.Seed)}
	if p, err := ProtocolDefault(head.Protocol, head.Seed); err == nil {
		sc.Config = p
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&sc); err != nil {
		return Scenario{}, locate(data, dec, err)
	}
	if dec.More() {
		return Scenario{}, fmt.Errorf("line %d: unexpected data after the scenario", lineAt(data, dec.InputOffset()))
	}
	if sc.Version != ScenarioVersion {
		return Scenario{}, fmt.Errorf("not a casim scenario (casim_scenario must be %d, got %d)", ScenarioVersion, sc.Version)
	}
	if err := sc.complete(); err != nil {
		return Scenario{}, err
	}
	return sc, nil
}

// locate adds a line number to a JSON decoding error. It serves scenario
// and topology files alike, so its messages say "file", not "scenario".
func locate(data []byte, dec *json.Decoder, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Errorf("line %d: %v", lineAt(data, syn.Offset), err)
	case errors.As(err, &typ) && typ.Field == "":
		return fmt.Errorf("line %d: the file must hold a JSON object, not %s", lineAt(data, typ.Offset), typ.Value)
	case errors.As(err, &typ):
		return fmt.Errorf("line %d: %s must be %s, not %s", lineAt(data, typ.Offset), typ.Field, typ.Type, typ.Value)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("line %d: the file ends early", lineAt(data, int64(len(data))))
	}
	return fmt.Errorf("line %d: %v", lineAt(data, dec.InputOffset()), err)
}

func lineAt(data []byte, offset int64) int {
	offset = min(max(offset, 0), int64(len(data)))
	return 1 + bytes.Count(data[:offset], []byte("\n"))
}

// complete derives the settings sc leaves to the network (Config.Derive),
// checks sc and draws its schedule from the seed if it has none
// (absent or null in a file; an empty list means no faults). The
// configuration is checked first: drawing needs a sane one.
func (sc *Scenario) complete() error {
	sc.Config.Derive()
	if err := sc.Config.Validate(); err != nil {
		return err
	}
	if sc.Schedule == nil {
		sc.Schedule = drawSchedule(sc.Config)
	}
	if err := validateSchedule(sc.Schedule, sc.Config); err != nil {
		return err
	}
	if sc.Ops != nil && len(sc.Ops) != sc.Clients {
		return fmt.Errorf("ops lists %d clients, the scenario has %d", len(sc.Ops), sc.Clients)
	}
	for c, ops := range sc.Ops {
		for _, i := range ops {
			if i < 0 || i >= sc.OpsPerClient {
				return fmt.Errorf("ops of client %d: index %d out of range 0..%d", c, i, sc.OpsPerClient-1)
			}
		}
	}
	if sc.Pins != nil {
		if sc.Ops == nil || len(sc.Pins) != len(sc.Ops) {
			return fmt.Errorf("pins must have the shape of ops")
		}
		for c := range sc.Ops {
			if len(sc.Pins[c]) != len(sc.Ops[c]) {
				return fmt.Errorf("pins of client %d lists %d pins for %d ops", c, len(sc.Pins[c]), len(sc.Ops[c]))
			}
		}
	}
	return nil
}

// Size counts what shrinking reduces.
func (sc Scenario) Size() (ops, faults int) {
	if sc.Ops == nil {
		ops = sc.Clients * sc.OpsPerClient
	} else {
		for _, o := range sc.Ops {
			ops += len(o)
		}
	}
	return ops, len(sc.Schedule)
}
