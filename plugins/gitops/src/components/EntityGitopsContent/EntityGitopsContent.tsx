import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { MissingAnnotationEmptyState } from '@backstage/plugin-catalog-react';
import {
  EnvironmentStatus,
  GITOPS_PATH_ANNOTATION,
} from '@goldenpath/plugin-gitops-common';
import RefreshIcon from '@material-ui/icons/Refresh';
import { useEntityEnvironments } from '../../hooks/useEntityEnvironments';
import {
  EnvironmentCell,
  ImageCell,
  RevisionCell,
  StatusCell,
} from '../EnvironmentCells';
import { AnnotationProblems } from '../StatusReasons';
import { promotionColumn, usePromotion } from '../PromoteButton';
import { EnvironmentHistories } from '../EnvironmentHistory';

// Four columns, each a stack of short lines, so the tab reads at 1024 px as
// at 1920 px; a reasons line and a "stuck" marker have room under Status.
const columns: TableColumn<EnvironmentStatus>[] = [
  // The table shares the width equally unless told: environment names,
  // namespaces and errors need the most, revisions the least; 18% is left
  // for the promotion column where it shows.
  {
    title: 'Environment',
    render: env => <EnvironmentCell env={env} />,
    width: '24%',
  },
  {
    title: 'Image (Git / live)',
    render: env => <ImageCell env={env} />,
    width: '22%',
  },
  { title: 'Status', render: env => <StatusCell env={env} />, width: '22%' },
  {
    title: 'Revision',
    render: env => <RevisionCell env={env} />,
    width: '14%',
  },
];

const ANNOTATION_EXAMPLE = `metadata:
  annotations:
    gitops/path: apps/my-service
    argocd/app-selector: app.kubernetes.io/name=my-service
    backstage.io/kubernetes-id: my-service`;

/**
 * Entity tab: for the component in view, one row per environment in
 * promotion order, with what Git wants and what runs.
 *
 * @public
 */
export function EntityGitopsContent() {
  const { value, loading, error, retry, available } = useEntityEnvironments();
  const promotion = usePromotion(value?.environments, retry);

  if (!available) {
    return (
      <MissingAnnotationEmptyState
        annotation={GITOPS_PATH_ANNOTATION}
        readMoreUrl="https://github.com/goldenpath/backstage-gitops-golden-paths#the-golden-path-end-to-end"
      />
    );
  }
  if (loading && !value) return <Progress />;
  if (error && !value) return <ResponseErrorPanel error={error} />;
  if (value && value.environments.length === 0) {
    return (
      <EmptyState
        missing="data"
        title="No environments"
        description={
          value.reason ??
          `The folder named by ${GITOPS_PATH_ANNOTATION} has no overlays, and no controller reports this component. Check the annotations:\n${ANNOTATION_EXAMPLE}`
        }
        action={
          value.problems?.length ? (
            <AnnotationProblems problems={value.problems} />
          ) : undefined
        }
      />
    );
  }

  return (
    <>
      {value?.snapshot ? (
        // A restarted backend answers from its stored snapshot until its
        // first poll ends: say how old the live state is.
        <WarningPanel
          severity="info"
          title="Live state from a stored snapshot"
          message={value.snapshot.message}
          defaultExpanded
        />
      ) : null}
      <Table<EnvironmentStatus>
        title="GitOps environments"
        subtitle="In promotion order: what Git wants, what runs, and what the controller says"
        isLoading={loading}
        options={{
          paging: false,
          search: false,
          padding: 'dense',
          sorting: false,
        }}
        columns={promotion ? [...columns, promotionColumn(promotion)] : columns}
        data={value?.environments ?? []}
        actions={[
          {
            icon: () => <RefreshIcon />,
            tooltip: 'Refresh',
            isFreeAction: true,
            onClick: () => retry(),
          },
        ]}
      />
      <EnvironmentHistories
        environments={value?.environments ?? []}
        promotion={promotion}
      />
      {promotion?.dialog}
    </>
  );
}
