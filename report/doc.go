// Package report draws what casim finds for people: the header of a run
// ([WriteConfig]) and its summary ([WriteOutcome], [WriteFigures]), a
// check's verdict as text and as JSON ([WriteCheck], [WriteCheckJSON]),
// the text tables of a comparison ([WriteComparisonText]), the HTML report of one run ([WriteRun]: porcupine's
// linearization view, the message diagram with the violation's
// operations highlighted, the faults on the same timeline), the text
// trace of a run ([WriteTrace]), a violation's witness as a timeline
// ([WriteWitness]), and the HTML page of a comparison with its SVG charts
// ([WriteComparison]).
//
// Everything is self-contained: no scripts, styles or fonts are fetched,
// so a report opens offline, and the same input gives the same bytes.
package report
