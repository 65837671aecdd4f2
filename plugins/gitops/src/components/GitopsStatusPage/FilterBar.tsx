import { parseEntityRef } from '@backstage/catalog-model';
import { humanizeEntityRef } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Paper from '@material-ui/core/Paper';
import Select from '@material-ui/core/Select';
import Switch from '@material-ui/core/Switch';
import { summarize } from '../viewModel';
import { ALL, MINE, Row, RowOrder } from './rows';

function SummaryChips({ rows }: { rows: Row[] }) {
  const s = summarize(rows);
  const chip = (count: number, label: string) => (
    <Chip label={`${count} ${label}`} color={count ? 'secondary' : 'default'} />
  );
  return (
    <Box display="flex" flexWrap="wrap" style={{ gap: 8 }} aria-label="summary">
      <Chip label={`${s.components} components`} />
      {chip(s.outOfSync, 'out of sync')}
      {chip(s.degraded, 'degraded')}
      {chip(s.drifting, 'drifting')}
      {chip(s.errors, 'with errors')}
    </Box>
  );
}

export interface FilterBarProps {
  owners: string[];
  systems: string[];
  owner: string;
  onOwner(owner: string): void;
  /** Whether "My groups" can be chosen. */
  ownsAny: boolean;
  system: string;
  onSystem(system: string): void;
  onlyProblems: boolean;
  onOnlyProblems(onlyProblems: boolean): void;
  order: RowOrder;
  onOrder(order: RowOrder): void;
  /** The rows shown, which the summary counts. */
  rows: Row[];
}

/**
 * Owner, system and "only problems" filters, the order of the rows, and the
 * summary of the rows shown.
 */
export function FilterBar(props: FilterBarProps) {
  return (
    <Paper style={{ padding: 16 }}>
      <Box
        display="flex"
        flexWrap="wrap"
        alignItems="center"
        style={{ gap: 24 }}
      >
        <FormControl style={{ minWidth: 220 }}>
          <InputLabel id="gitops-owner-label">Owner</InputLabel>
          <Select
            labelId="gitops-owner-label"
            value={props.owner}
            onChange={e => props.onOwner(String(e.target.value))}
            inputProps={{ 'aria-label': 'Owner' }}
          >
            <MenuItem value={MINE} disabled={!props.ownsAny}>
              My groups
            </MenuItem>
            <MenuItem value={ALL}>All owners</MenuItem>
            {props.owners.map(o => (
              <MenuItem key={o} value={o}>
                {humanizeEntityRef(parseEntityRef(o), { defaultKind: 'group' })}
              </MenuItem>
            ))}
          </Select>
        </FormControl>
        <FormControl style={{ minWidth: 200 }}>
          <InputLabel id="gitops-system-label">System</InputLabel>
          <Select
            labelId="gitops-system-label"
            value={props.system}
            onChange={e => props.onSystem(String(e.target.value))}
            inputProps={{ 'aria-label': 'System' }}
          >
            <MenuItem value={ALL}>All systems</MenuItem>
            {props.systems.map(s => (
              <MenuItem key={s} value={s}>
                {humanizeEntityRef(parseEntityRef(s), {
                  defaultKind: 'system',
                })}
              </MenuItem>
            ))}
          </Select>
        </FormControl>
        <FormControl style={{ minWidth: 200 }}>
          <InputLabel id="gitops-order-label">Sort</InputLabel>
          <Select
            labelId="gitops-order-label"
            value={props.order}
            onChange={e => props.onOrder(e.target.value as RowOrder)}
            inputProps={{ 'aria-label': 'Sort' }}
          >
            <MenuItem value="name">By component</MenuItem>
            <MenuItem value="longestProblem">Longest problem first</MenuItem>
          </Select>
        </FormControl>
        <FormControlLabel
          control={
            <Switch
              checked={props.onlyProblems}
              onChange={e => props.onOnlyProblems(e.target.checked)}
              inputProps={{ 'aria-label': 'Only problems' }}
            />
          }
          label="Only problems"
        />
        <SummaryChips rows={props.rows} />
      </Box>
    </Paper>
  );
}
