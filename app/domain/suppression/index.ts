/**
 * Small-cell suppression (小样本隐藏) for the console's breakdowns, so that no teacher at a
 * small school can be identified from a figure (issues 5 and 12; decision record 0011).
 *
 * A cell is what one row of a breakdown counts: `n` people (valid questionnaires, or answers to
 * an item) and the measures published about them (satisfied questionnaires; for an item, its
 * satisfied answers and its score sum, shown as a rate and a mean). Each measure's value lies,
 * for anyone who knows `n`, between known bounds (`lo`, `hi`: 0 and n satisfied; n and 5n
 * points).
 *
 * 1. **Primary**: a cell of 1 to `MIN_CELL_SIZE` − 1 people is hidden. Hidden cells publish
 *    nothing — no count (a primary cell shows "<5"), no satisfied count, no rate.
 * 2. **Complementary**, because totals are published: in every line of cells that adds up to a
 *    published total, if anything is hidden, then
 *    a. at least two non-empty cells are hidden, holding at least `MIN_CELL_SIZE` people
 *       together (a count cannot be recovered as total − the rest);
 *    b. for every primary cell and every measure, the other hidden cells of the line leave its
 *       value entirely open: whatever the published figures, any value from `lo` to `hi` is
 *       possible. For satisfaction this says: the hidden cells hold at least as many satisfied,
 *       and at least as many not satisfied, questionnaires as the small cell has people. So an
 *       "all satisfied" (5 of 5) or "none satisfied" hidden group never gives its members away,
 *       and "total − visible cells" tells nothing about the small cell.
 *    Cells are added smallest size class (⌊log₂ n⌋) first, then in line order, each one that
 *    helps a failing condition, until every line holds — even assuming the attacker knows
 *    every hidden cell's size exactly.
 * 3. For a table with published row and column totals (schools × groups), the lines are its
 *    rows and columns, and the rows and columns together are audited exactly: for each small
 *    cell, a flow argument checks that the cell can take its lowest and its highest value with
 *    every row and column total as published (the true values are one solution; another exists
 *    iff the difference can be rerouted around the other hidden cells — augmenting paths); if
 *    not, a cell of its row or column is hidden too and the audit runs again. (Lines checked one by one are not enough:
 *    four hidden cells in two rows and two columns can pin one another down.)
 *
 * Empty cells are never hidden and never serve as complements: they reveal nobody and hide
 * nothing. Pure; deterministic (the same figures give the same cells hidden).
 */
export { itemCell, MIN_CELL_SIZE, satisfactionCell, SUPPRESSION_REASONS, type Measure, type Suppression, type SuppressionCell } from "./cells";
export { lineIsProtected, suppressLine, suppressLines, suppressTable, tableIsProtected } from "./lines";
export { auditCounty, type CountyFigures, type CountyMarks } from "./county";
