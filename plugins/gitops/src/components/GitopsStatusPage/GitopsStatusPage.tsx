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
import { parseEntityRef } from '@backstage/catalog-model';
import {
  EntityRefLink,
  humanizeEntityRef,
} from '@backstage/plugin-catalog-react';
import { GITOPS_PATH_ANNOTATION } from '@goldenpath/plugin-gitops-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { useMemo, useState } from 'react';
import { FilterBar } from './FilterBar';
import {
  ALL,
  compareBySeverity,
  distinct,
  effectiveOwner,
  filterRows,
  MINE,
  ownsAny,
  Row,
  RowOrder,
  sortRows,
} from './rows';
import { TeamEnvironmentCell } from './TeamEnvironmentCell';
import { useTeamStatus } from './useTeamStatus';

const componentColumn: TableColumn<Row> = {
  title: 'Component',
  field: 'title',
  highlight: true,
  customSort: (a, b) => a.title.localeCompare(b.title),
  render: row => (
    <Box style={{ wordBreak: 'normal', overflowWrap: 'normal' }}>
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
};

/**
 * Team page at /gitops: components as rows, the profile's environments as
 * columns, with owner, system and "only problems" filters and a summary.
 *
 * @public
 */
export function GitopsStatusPage() {
  const { value, loading, error } = useTeamStatus();
  const [owner, setOwner] = useState<string>(MINE);
  const [system, setSystem] = useState<string>(ALL);
  const [onlyProblems, setOnlyProblems] = useState(false);
  const [order, setOrder] = useState<RowOrder>('name');

  const all = useMemo(() => value?.rows ?? [], [value]);
  const mine = useMemo(() => value?.mine ?? [], [value]);
  const rows = useMemo(
    () =>
      sortRows(
        filterRows(all, { owner, system, onlyProblems, mine }),
        order,
        Date.now(),
      ),
    [all, owner, system, onlyProblems, mine, order],
  );
  const shownOwner = effectiveOwner(all, owner, mine);

  // The columns are the platform profile's environments, in promotion order.
  const columns: TableColumn<Row>[] = [
    componentColumn,
    ...(value?.profile.environments ?? []).map(
      (env): TableColumn<Row> => ({
        title: env.name,
        customSort: compareBySeverity(env.name),
        render: row => <TeamEnvironmentCell env={row.byName[env.name]} />,
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
              <FilterBar
                owners={distinct(all, 'owner')}
                systems={distinct(all, 'system')}
                owner={shownOwner}
                onOwner={setOwner}
                ownsAny={ownsAny(all, mine)}
                system={system}
                onSystem={setSystem}
                onlyProblems={onlyProblems}
                onOnlyProblems={setOnlyProblems}
                order={order}
                onOrder={setOrder}
                rows={rows}
              />
            </Grid>
            <Grid item xs={12}>
              <Table<Row>
                title={`${rows.length} of ${all.length} components`}
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
