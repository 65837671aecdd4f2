import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
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
  ControllerCell,
  DesiredCell,
  EnvironmentCell,
  HealthCell,
  LiveCell,
  RevisionCell,
  SyncCell,
} from '../EnvironmentCells';

const columns: TableColumn<EnvironmentStatus>[] = [
  {
    title: 'Environment',
    render: env => <EnvironmentCell env={env} />,
    width: '26%',
  },
  { title: 'Controller', render: env => <ControllerCell env={env} /> },
  { title: 'Desired (Git)', render: env => <DesiredCell env={env} /> },
  { title: 'Live', render: env => <LiveCell env={env} /> },
  { title: 'Sync', render: env => <SyncCell env={env} /> },
  { title: 'Health', render: env => <HealthCell env={env} /> },
  { title: 'Revision', render: env => <RevisionCell env={env} /> },
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
      />
    );
  }

  return (
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
      columns={columns}
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
  );
}
