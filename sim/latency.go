package sim

import (
	"math"
	"math/rand/v2"
)

// Dist names a latency distribution.
type Dist string

// The latency distributions. Every one adds to MinNs:
//
//   - constant: nothing, every message takes MinNs;
//   - uniform: uniform in [0, MaxNs-MinNs];
//   - exponential: exponential with mean MeanNs;
//   - pareto: Pareto with mean MeanNs and tail index Shape (> 1; smaller
//     is heavier: 1.5 gives a long tail of slow messages);
//   - lognormal: log-normal with mean MeanNs and log-space standard
//     deviation Shape.
//
// MaxNs caps every distribution: a delay drawn above it is MaxNs (so the
// mean of a capped distribution is below MeanNs). Zero means no cap, except
// for uniform, which needs it. A MaxNs below MinNs is refused whatever the
// distribution, since no delay could satisfy both.
const (
	Constant    Dist = "constant"
	Uniform     Dist = "uniform"
	Exponential Dist = "exponential"
	Pareto      Dist = "pareto"
	LogNormal   Dist = "lognormal"
)

// Latency is a message delay distribution.
type Latency struct {
	Dist   Dist    `json:"dist"`
	MinNs  int64   `json:"min_ns"`
	MeanNs int64   `json:"mean_ns,omitempty"`
	MaxNs  int64   `json:"max_ns,omitempty"`
	Shape  float64 `json:"shape,omitempty"`
}

// draw returns one delay.
func (l Latency) draw(r *rand.Rand) int64 {
	var extra float64
	switch l.Dist {
	case Constant:
	case Uniform:
		return between(r, l.MinNs, l.MaxNs)
	case Exponential:
		extra = r.ExpFloat64() * float64(l.MeanNs)
	case Pareto:
		// Scale xm so that the mean xm*a/(a-1) is MeanNs.
		a := l.Shape
		xm := float64(l.MeanNs) * (a - 1) / a
		extra = xm/math.Pow(1-r.Float64(), 1/a) - xm
	case LogNormal:
		// mu so that the mean exp(mu + sigma²/2) is MeanNs.
		sigma := l.Shape
		mu := math.Log(float64(l.MeanNs)) - sigma*sigma/2
		extra = math.Exp(mu + sigma*r.NormFloat64())
	}
	d := l.MinNs + int64(extra)
	if l.MaxNs > 0 && d > l.MaxNs {
		d = l.MaxNs
	}
	return d
}

func (l Latency) validate(check func(bool, string, ...any)) {
	check(l.MinNs >= 0 && l.MeanNs >= 0 && l.MaxNs >= 0, "latencies must be >= 0")
	if l.MaxNs > 0 || l.Dist == Uniform {
		check(l.MaxNs >= l.MinNs, "%s latency needs max >= min, got min %s, max %s", l.Dist, dur(l.MinNs), dur(l.MaxNs))
	}
	switch l.Dist {
	case Constant, Exponential, Uniform:
	case Pareto:
		check(l.Shape > 1, "pareto latency needs shape > 1, got %g", l.Shape)
		check(l.MeanNs > 0, "pareto latency needs mean_ns > 0")
	case LogNormal:
		check(l.Shape > 0, "lognormal latency needs shape > 0, got %g", l.Shape)
		check(l.MeanNs > 0, "lognormal latency needs mean_ns > 0")
	default:
		check(false, "unknown latency distribution %q (constant, uniform, exponential, pareto, lognormal)", l.Dist)
	}
}
