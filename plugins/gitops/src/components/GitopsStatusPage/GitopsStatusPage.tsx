import {
  Content,
  ContentHeader,
  Header,
  Page,
  Progress,
  ResponseErrorPanel,
  SupportButton,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  catalogApiRef,
  EntityRefLink,
  humanizeEntityRef,
} from '@backstage/plugin-catalog-react';
import {
  EnvironmentStatus,
  GITOPS_PATH_ANNOTATION,
} from '@goldenpath/plugin-gitops-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Grid from '@material-ui/core/Grid';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Paper from '@material-ui/core/Paper';
import Select from '@material-ui/core/Select';
import Switch from '@material-ui/core/Switch';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { useMemo, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { gitopsApiRef } from '../../api';
import { useGitopsRefresh } from '../../hooks/useGitopsRefresh';
import { CombinedStatusChip } from '../StatusChips';
import {
  CombinedStatus,
  combinedStatus,
  desiredLabel,
  driftExplanation,
  isProblem,
  liveLabels,
  summarize,
} from '../viewModel';

interface Row {
  entityRef: string;
  title: string;
  owner?: string;
  system?: string;
  environments: EnvironmentStatus[];
  byName: Record<string, EnvironmentStatus>;
  error?: string;
}

const SEVERITY: Record<CombinedStatus, number> = {
  error: 0,
  warning: 1,
  pending: 2,
  ok: 3,
};
const ALL = '__all__';
const MINE = '__mine__';

const normalizeRef = (ref: string | undefined, kind: string) =>
  ref
    ? stringifyEntityRef(
        parseEntityRef(ref, { defaultKind: kind, defaultNamespace: 'default' }),
      )
    : undefined;

function Cell({ env }: { env?: EnvironmentStatus }) {
  if (!env) return <Typography color="textSecondary">—</Typography>;
  const status = combinedStatus(env);
  const live = liveLabels(env).join(', ');
  const title =
    env.error?.message ??
    driftExplanation(env) ??
    (env.live ? `${env.live.sync} / ${env.live.health}` : 'No live state');
  return (
    <Tooltip title={title}>
      <Box>
        <CombinedStatusChip status={status}>
          <code>{live || desiredLabel(env.desired) || '—'}</code>
        </CombinedStatusChip>
        {env.drift && (
          <Typography variant="caption" component="div" color="textSecondary">
            drift: Git wants {desiredLabel(env.desired)}
          </Typography>
        )}
        {env.live && (
          <Typography variant="caption" component="div" color="textSecondary">
            {env.live.sync} · {env.live.health}
            {env.live.stale ? ' · stale' : ''}
          </Typography>
        )}
      </Box>
    </Tooltip>
  );
}

function SummaryChips({ rows }: { rows: Row[] }) {
  const s = summarize(rows);
  return (
    <Box display="flex" flexWrap="wrap" style={{ gap: 8 }} aria-label="summary">
      <Chip label={`${s.components} components`} />
      <Chip
        label={`${s.outOfSync} out of sync`}
        color={s.outOfSync ? 'secondary' : 'default'}
      />
      <Chip
        label={`${s.degraded} degraded`}
        color={s.degraded ? 'secondary' : 'default'}
      />
      <Chip
        label={`${s.drifting} drifting`}
        color={s.drifting ? 'secondary' : 'default'}
      />
      <Chip
        label={`${s.errors} with errors`}
        color={s.errors ? 'secondary' : 'default'}
      />
    </Box>
  );
}

/**
 * Team page at /gitops: components as rows, environments as columns, with
 * owner, system and "only problems" filters and a summary.
 *
 * @public
 */
export function GitopsStatusPage() {
  const catalogApi = useApi(catalogApiRef);
  const gitopsApi = useApi(gitopsApiRef);
  const identityApi = useApi(identityApiRef);
  const [owner, setOwner] = useState<string>(MINE);
  const [system, setSystem] = useState<string>(ALL);
  const [onlyProblems, setOnlyProblems] = useState(false);

  const { value, loading, error, retry } = useAsyncRetry(async () => {
    const [profile, identity, entities] = await Promise.all([
      gitopsApi.getProfile(),
      identityApi.getBackstageIdentity(),
      catalogApi.getEntities({
        filter: {
          kind: 'Component',
          [`metadata.annotations.${GITOPS_PATH_ANNOTATION}`]:
            CATALOG_FILTER_EXISTS,
        },
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.title',
          'spec.owner',
          'spec.system',
        ],
      }),
    ]);
    const byRef = new Map<string, Entity>(
      entities.items.map(e => [stringifyEntityRef(e), e]),
    );
    // One request for the whole page, however many components.
    const statuses = byRef.size
      ? await gitopsApi.queryEnvironments([...byRef.keys()], {
          view: 'summary',
        })
      : { items: [] };
    const rows: Row[] = statuses.items.map(item => {
      const entity = byRef.get(item.entityRef);
      return {
        entityRef: item.entityRef,
        title:
          entity?.metadata.title ?? entity?.metadata.name ?? item.entityRef,
        owner: normalizeRef(entity?.spec?.owner as string | undefined, 'group'),
        system: normalizeRef(
          entity?.spec?.system as string | undefined,
          'system',
        ),
        environments: item.environments,
        byName: Object.fromEntries(item.environments.map(e => [e.name, e])),
        error: item.error?.message ?? item.reason,
      };
    });
    return { profile, rows, mine: identity.ownershipEntityRefs };
  }, [catalogApi, gitopsApi, identityApi]);
  useGitopsRefresh(retry);

  const owners = useMemo(
    () =>
      [
        ...new Set(
          (value?.rows ?? []).map(r => r.owner).filter(Boolean) as string[],
        ),
      ].sort(),
    [value],
  );
  const systems = useMemo(
    () =>
      [
        ...new Set(
          (value?.rows ?? []).map(r => r.system).filter(Boolean) as string[],
        ),
      ].sort(),
    [value],
  );
  const ownsAny = Boolean(
    value?.rows.some(r => r.owner && value.mine.includes(r.owner)),
  );
  const effectiveOwner = owner === MINE && !ownsAny ? ALL : owner;

  const rows = useMemo(() => {
    return (value?.rows ?? []).filter(r => {
      if (
        effectiveOwner === MINE &&
        !(r.owner && value!.mine.includes(r.owner))
      )
        return false;
      if (
        effectiveOwner !== MINE &&
        effectiveOwner !== ALL &&
        r.owner !== effectiveOwner
      )
        return false;
      if (system !== ALL && r.system !== system) return false;
      if (onlyProblems && !(r.error || r.environments.some(isProblem)))
        return false;
      return true;
    });
  }, [value, effectiveOwner, system, onlyProblems]);

  const columns: TableColumn<Row>[] = [
    {
      title: 'Component',
      field: 'title',
      highlight: true,
      customSort: (a, b) => a.title.localeCompare(b.title),
      render: row => (
        <Box>
          <EntityRefLink entityRef={row.entityRef} />
          {row.owner && (
            <Typography variant="caption" color="textSecondary" component="div">
              {humanizeEntityRef(parseEntityRef(row.owner), {
                defaultKind: 'group',
              })}
            </Typography>
          )}
          {row.error && (
            <Typography variant="caption" color="error" component="div">
              {row.error}
            </Typography>
          )}
        </Box>
      ),
    },
    ...(value?.profile.environments ?? []).map(
      (env): TableColumn<Row> => ({
        title: env.name,
        customSort: (a, b) => {
          const sa = a.byName[env.name]
            ? SEVERITY[combinedStatus(a.byName[env.name])]
            : 4;
          const sb = b.byName[env.name]
            ? SEVERITY[combinedStatus(b.byName[env.name])]
            : 4;
          return sa - sb;
        },
        render: row => <Cell env={row.byName[env.name]} />,
      }),
    ),
  ];

  return (
    <Page themeId="tool">
      <Header
        title="GitOps status"
        subtitle="Desired and live image tags, sync and health, per component and environment"
      />
      <Content>
        <ContentHeader title="Components on the golden path">
          <SupportButton>
            Rows are catalog components with a {GITOPS_PATH_ANNOTATION}{' '}
            annotation; columns are the platform's environments in promotion
            order.
          </SupportButton>
        </ContentHeader>
        {loading && !value && <Progress />}
        {error && !value && <ResponseErrorPanel error={error} />}
        {value && (
          <Grid container spacing={2}>
            <Grid item xs={12}>
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
                      value={effectiveOwner}
                      onChange={e => setOwner(String(e.target.value))}
                      inputProps={{ 'aria-label': 'Owner' }}
                    >
                      <MenuItem value={MINE} disabled={!ownsAny}>
                        My groups
                      </MenuItem>
                      <MenuItem value={ALL}>All owners</MenuItem>
                      {owners.map(o => (
                        <MenuItem key={o} value={o}>
                          {humanizeEntityRef(parseEntityRef(o), {
                            defaultKind: 'group',
                          })}
                        </MenuItem>
                      ))}
                    </Select>
                  </FormControl>
                  <FormControl style={{ minWidth: 200 }}>
                    <InputLabel id="gitops-system-label">System</InputLabel>
                    <Select
                      labelId="gitops-system-label"
                      value={system}
                      onChange={e => setSystem(String(e.target.value))}
                      inputProps={{ 'aria-label': 'System' }}
                    >
                      <MenuItem value={ALL}>All systems</MenuItem>
                      {systems.map(s => (
                        <MenuItem key={s} value={s}>
                          {humanizeEntityRef(parseEntityRef(s), {
                            defaultKind: 'system',
                          })}
                        </MenuItem>
                      ))}
                    </Select>
                  </FormControl>
                  <FormControlLabel
                    control={
                      <Switch
                        checked={onlyProblems}
                        onChange={e => setOnlyProblems(e.target.checked)}
                        inputProps={{ 'aria-label': 'Only problems' }}
                      />
                    }
                    label="Only problems"
                  />
                  <SummaryChips rows={rows} />
                </Box>
              </Paper>
            </Grid>
            <Grid item xs={12}>
              <Table<Row>
                title={`${rows.length} of ${value.rows.length} components`}
                isLoading={loading}
                options={{
                  paging: true,
                  pageSize: 50,
                  pageSizeOptions: [20, 50, 100],
                  padding: 'dense',
                  search: true,
                }}
                columns={columns}
                data={rows}
              />
            </Grid>
          </Grid>
        )}
      </Content>
    </Page>
  );
}
