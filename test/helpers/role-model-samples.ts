/**
 * A role model as the reference's examples write it, over a few entity types: every role-model and
 * provisioning element idm-toolkit stores, for the tests of their schemas, checks and deployment.
 */
import { configFile } from "./temp-folder.js";

/** Entity types the role model reads, with the properties its rules name. */
export const ENTITIES = configFile(`  <EntityType Identifier="Directory_Organization" DisplayName_L1="Department">
    <Property Identifier="Code" IsKey="true" TargetColumnIndex="4"/>
    <Property Identifier="Parent" Type="ForeignKey" TargetColumnIndex="128"/>
    <Property Identifier="Children" Type="ForeignKey"/>
  </EntityType>
  <EntityType Identifier="Directory_User" DisplayName_L1="User">
    <Property Identifier="EmployeeId" IsKey="true" TargetColumnIndex="4"/>
    <Property Identifier="Login" TargetColumnIndex="5"/>
    <Property Identifier="Photo" Type="Binary"/>
    <Property Identifier="Records" Type="ForeignKey"/>
  </EntityType>
  <EntityType Identifier="Directory_UserRecord" DisplayName_L1="User record">
    <Property Identifier="RecordId" IsKey="true" TargetColumnIndex="4"/>
    <Property Identifier="StartDate" Type="DateTime" TargetColumnIndex="5"/>
    <Property Identifier="EndDate" Type="DateTime" TargetColumnIndex="6"/>
    <Property Identifier="Title" TargetColumnIndex="7"/>
    <Property Identifier="Organization" Type="ForeignKey" TargetColumnIndex="129"/>
    <Property Identifier="User" Type="ForeignKey" TargetColumnIndex="130"/>
  </EntityType>
  <EntityType Identifier="AD_Entry" DisplayName_L1="AD entry">
    <Property Identifier="dn" IsKey="true" TargetColumnIndex="4"/>
    <Property Identifier="sAMAccountName" TargetColumnIndex="5"/>
    <Property Identifier="mail" TargetColumnIndex="6"/>
    <Property Identifier="thumbnailPhoto" Type="Binary"/>
    <Property Identifier="parentdn" Type="ForeignKey" TargetColumnIndex="128"/>
    <Property Identifier="memberOf" Type="ForeignKey"/>
    <Property Identifier="member" Type="ForeignKey"/>
  </EntityType>
  <EntityAssociation Identifier="AD_Entry_Members" Property1="AD_Entry:memberOf" IsProperty1Collection="true" Property2="AD_Entry:member" IsProperty2Collection="true"/>
  <EntityAssociation Identifier="Directory_User_Records" Property1="Directory_User:Records" IsProperty1Collection="true" Property2="Directory_UserRecord:User"/>
  <EntityAssociation Identifier="Directory_Organization_Parent" Property1="Directory_Organization:Children" IsProperty1Collection="true" Property2="Directory_Organization:Parent"/>`);

/** Every role-model element, as the reference's examples write them. */
export const ROLE_MODEL = configFile(`  <Policy Identifier="Default" DisplayName_L1="Default" IsProvisioningEnabled="true"/>
  <Policy Identifier="Mining" DisplayName_L1="Mining"/>
  <Dimension Identifier="Organization0" DisplayName_L1="Department" EntityType="Directory_Organization" ColumnMapping="0" IsHierarchical="true" ParentProperty="Parent"/>
  <Dimension Identifier="Title1" DisplayName_L1="Title" EntityType="Directory_Organization" ColumnMapping="1"/>
  <Dimension Identifier="Site10" DisplayName_L1="Site" EntityType="Directory_Organization" ColumnMapping="10"/>
  <Category Identifier="Accounts" DisplayName_L1="Accounts" Policy="Default"/>
  <Category Identifier="Network" DisplayName_L1="Network" Policy="Default" Parent="Accounts" IsCollapsed="1"/>
  <CompositeRole Identifier="Accountant" DisplayName_L1="Accountant" Policy="Default" EntityType="Directory_User" ApprovalWorkflowType="Two" R0="true"/>
  <SingleRole Identifier="VPN_Access" DisplayName_L1="VPN access" Policy="Default" EntityType="Directory_User" Category="Network" ApprovalWorkflowType="One" DA="PARIS"/>
  <SingleRole Identifier="Ledger_Read" DisplayName_L1="Ledger" Policy="Default" EntityType="Directory_User" State="1" CommentActivationOnApproveInReview="2"/>
  <SingleRoleRule Role="VPN_Access" Policy="Default" D0="SALES" L0="true"/>
  <SingleRoleRule Role="VPN_Access" Policy="Default" D1="FCT0000" Type="Suggested"/>
  <SingleRoleRule Role="Ledger_Read" Policy="Default" CompositeRole="Accountant"/>
  <CompositeRoleRule Role="Accountant" Policy="Default" D1="FCT0008" Type="2" Priority="3"/>
  <ContextRule Identifier="Directory_User" DisplayName_L1="Users" Policy="Default" SourceEntityType="Directory_User" ResourcesBinding="Records"
    ResourcesStartBinding="Directory_UserRecord:StartDate" ResourcesEndBinding="Directory_UserRecord:EndDate" B0="Directory_UserRecord:Organization"
    B1="Directory_UserRecord:Title" RiskFactorType="Max" ReductionOutlierPercentage="2.0" ResourceCertificationComparisonOperator="Equal"/>
  <RecordSection Identifier="Directory_UserRecord_Default" DisplayName_L1="User" SourceEntityType="Directory_User" ResourceEntityType="Directory_UserRecord" StartProperty="StartDate" EndProperty="EndDate"/>
  <RecordSection Identifier="Directory_UserRecord_Position" DisplayName_L1="Position" SourceEntityType="Directory_User" ResourceEntityType="Directory_UserRecord"
    StartProperty="StartDate" EndProperty="EndDate" ExtensionKind="None" InstanceKeyExpression="C#:record:return record.RecordId;">
    <Property Property="Organization" ExtensionKind="None"/>
    <Property Property="Title"/>
  </RecordSection>
  <ResourceType Identifier="AD_Entry_NominativeUser" DisplayName_L1="AD account" Policy="Default" SourceEntityType="Directory_User" TargetEntityType="AD_Entry"
    Category="Accounts" ApprovalWorkflowType="ManualAssignmentNotAllowed" BlockProvisioning="false" RemoveOrphans="true" P0="true">
    <TypeRule Policy="Default" SingleRole="VPN_Access"/>
    <TypeRule D0="SALES" TimeOffsetReference="Before" TimeOffsetBeforeReference="-43200"/>
    <ScalarRule Property="sAMAccountName" Binding="Directory_User:Login" Expression="ToLower"/>
    <ScalarRule Property="mail" Expression="Literal:none@acme.com" TimeOffsetReference="After" TimeOffsetAfterReference="43200" IsMapped="false" ComparisonType="IgnoreCase"/>
    <NavigationRule Property="memberOf" Resource="CN=VPN,DC=acme" SingleRole="VPN_Access"/>
    <NavigationRule Property="AD_Entry:memberOf" ResourceFromDimension="Organization0" SingleRole="VPN_Access"/>
    <QueryRule Property="parentdn" TargetBinding="AD_Entry:dn" SourceExpression="Literal:OU=Users,DC=acme" TargetMatchedConfidenceLevel="100"/>
    <BinaryRule Property="thumbnailPhoto" Binding="Photo"/>
  </ResourceType>
  <ResourceCorrelationRule ResourceType="AD_Entry_NominativeUser" Policy="Default" SourceBinding="Login" TargetBinding="sAMAccountName" SourceMatchedConfidenceLevel="120"/>
  <ResourceClassificationRule ResourceType="AD_Entry_NominativeUser" Policy="Default" ResourceTypeIdentificationConfidenceLevel="100"
    TargetExpression="C#:resource:return resource.dn.Contains(&quot;,OU=Users,&quot;);"/>
  <IndirectResourceRule ResourceType="AD_Entry_NominativeUser" Property="memberOf" Correspondence="member"/>
  <RoleMapping Identifier="AD_Groups" Policy="Default" Property="AD_Entry:memberOf" ResourceType="AD_Entry_NominativeUser" RolePolicy="Mining" ApprovalWorkflowType="4">
    <Rule>
      <Item Property="AD_Entry:dn" Operator="StartWith" Value="CN=SG_"/>
    </Rule>
  </RoleMapping>
  <MiningRule EntityType="Directory_User" RulePolicy="Mining" Policy="Default" FalsePositiveMaxPercentage="0.05" PrecisionMinPercentage="95.0" RuleType="2" Priority="1"/>
  <Risk Identifier="VPN_Ledger" DisplayName_L1="VPN and ledger" Policy="Default" EntityType="Directory_User" RiskType="1" Level="40" Remediation_L1="Ask IT">
    <Rule>
      <Item ResourceType="AD_Entry_NominativeUser" Property="memberOf" Resource="CN=VPN,DC=acme"/>
    </Rule>
  </Risk>
  <AutomationRule Type="CompositeRole" CompositeRole="Accountant" WorkflowState="PendingApproval1" HoursToWait="1" Decision="Approve"/>
  <CompositeRoleAutomationRule CompositeRole="Accountant" WorkflowState="PendingApproval2" HoursToWait="1" Decision="Approve"/>
  <SingleRoleAutomationRule SingleRole="VPN_Access" WorkflowState="PendingApproval" HoursToWait="1" Decision="Approve"/>
  <ResourceTypeAutomationRule ResourceType="AD_Entry_NominativeUser" WorkflowState="PendingApproval" HoursToWait="1" Decision="Approve"/>
  <CategoryAutomationRule Category="Network" WorkflowState="PendingApproval1" HoursToWait="1" Decision="Decline" EntityType="Directory_User" D0="SALES"/>
  <PolicyAutomationRule Policy="Default" WorkflowState="Historic" HoursToWait="1" Decision="Decline" EntityType="Directory_User"/>`);


/** Connections and resource types that the provisioning mappings fulfil, with a mapping of each kind. */
export const PROVISIONING = configFile(`  <Agent Identifier="Local" DisplayName_L1="Local agent"/>
  <Connector Identifier="AD" DisplayName_L1="AD" Agent="Local"/>
  <Connection Identifier="ADExportFulfillment" DisplayName_L1="AD" Connector="AD" Package="Usercube.AD@0000001"/>
  <Connection Identifier="Tickets" DisplayName_L1="Tickets" Connector="AD" Package="Usercube.ServiceNow@0000001"/>
  <PasswordResetSettings Identifier="ToManager" BeneficiaryEmailBinding="AssignedResourceType:Owner.Directory_User:Login"
    Mode="1" DefaultPassword="Welcome@2019" MustChange="true" GeneratedLength="14"/>
  <ResourceType Identifier="AD_Entry_Guest" DisplayName_L1="Guest" Policy="Default" SourceEntityType="Directory_User" TargetEntityType="AD_Entry"/>
  <ResourceType Identifier="AD_Entry_Admin" DisplayName_L1="Admin" Policy="Default" SourceEntityType="Directory_User" TargetEntityType="AD_Entry"/>
  <ResourceType Identifier="Badge" DisplayName_L1="Badge" Policy="Default" SourceEntityType="Directory_User" TargetEntityType="AD_Entry"/>
  <ResourceType Identifier="Okta_Account" DisplayName_L1="Okta" Policy="Default" SourceEntityType="Directory_User" TargetEntityType="AD_Entry"/>
  <ResourceType Identifier="SAP_Account" DisplayName_L1="SAP" Policy="Default" SourceEntityType="Directory_User" TargetEntityType="AD_Entry"/>
  <ResourceType Identifier="Scim_Account" DisplayName_L1="SCIM" Policy="Default" SourceEntityType="Directory_User" TargetEntityType="AD_Entry"/>
  <ResourceType Identifier="SNow_Account" DisplayName_L1="ServiceNow" Policy="Default" SourceEntityType="Directory_User" TargetEntityType="AD_Entry"/>
  <ResourceType Identifier="SP_Account" DisplayName_L1="SharePoint" Policy="Default" SourceEntityType="Directory_User" TargetEntityType="AD_Entry"/>
  <ResourceType Identifier="Generic_Account" DisplayName_L1="Generic" Policy="Default" SourceEntityType="Directory_User" TargetEntityType="AD_Entry"/>
  <ResourceType Identifier="Legacy_Account" DisplayName_L1="Legacy" Policy="Default" SourceEntityType="Directory_User" TargetEntityType="AD_Entry"/>
  <ResourceType Identifier="Manual_Account" DisplayName_L1="Manual" Policy="Default" SourceEntityType="Directory_User" TargetEntityType="AD_Entry"/>
  <LdapResourceTypeMapping Identifier="AD_Entry_NominativeUser" Connection="ADExportFulfillment" PasswordResetSetting="ToManager" DefaultObjectClass="user"
    RDNAttributeIdentifier="CN" UsePermissiveModify="true">
    <Property Property="dn" IsDNProperty="true"/>
    <Property Property="parentdn" IsParentProperty="true"/>
    <Property Property="memberOf" DataSourceBacklinkColumnName="member"/>
  </LdapResourceTypeMapping>
  <LDAPResourceTypeMapping Identifier="AD_Entry_Admin" Connection="ADExportFulfillment" DefaultObjectClass="user&#xA;person" RDNAttributeIdentifier="CN"/>
  <MicrosoftEntraIDResourceTypeMapping Identifier="AD_Entry_Guest" Connection="ADExportFulfillment" DefaultObjectClass="users" InvitationMode="MicrosoftInvitation"
    InvitationRedirectUrl="https://demo.acme.com" PasswordResetSetting="ToManager">
    <Property Property="mail" IsMailProperty="true"/>
  </MicrosoftEntraIDResourceTypeMapping>
  <AzureADResourceTypeMapping Identifier="Legacy_Account" Connection="ADExportFulfillment" DefaultObjectClass="users"/>
  <EasyVistaResourceTypeMapping Identifier="Badge" Connection="Tickets" TicketSynchroIsNotAvailable="true" RecipientId="EVEmployeeId" CatalogCode="42¤25¤43" UrgencyId="1"/>
  <ManualProvisioningResourceTypeMapping Identifier="Manual_Account" Connection="Tickets" TicketSynchroIsNotAvailable="true"/>
  <OktaResourceTypeMapping Identifier="Okta_Account" Connection="ADExportFulfillment" DefaultObjectClass="users"/>
  <SapResourceTypeMapping Identifier="SAP_Account" Connection="ADExportFulfillment" PasswordResetSetting="ToManager" DefaultObjectClass="sapuser">
    <Property Property="dn" IsDNProperty="true"/>
  </SapResourceTypeMapping>
  <ScimResourceTypeMapping Identifier="Scim_Account" DefaultObjectClass="Users" Connection="ADExportFulfillment">
    <Property Property="dn" IsDNProperty="true"/>
  </ScimResourceTypeMapping>
  <ServiceNowResourceTypeMapping Identifier="SNow_Account" Connection="Tickets" DefaultObjectClass="sys_user" TicketImpact="High" TicketCallerId="caller">
    <Property Property="dn" IsDNProperty="true"/>
  </ServiceNowResourceTypeMapping>
  <SharePointResourceTypeMapping Identifier="SP_Account" Connection="ADExportFulfillment"/>
  <ResourceTypeMapping Identifier="Generic_Account" Connection="ADExportFulfillment" DefaultObjectClass="inetOrgPerson" RDNAttributeIdentifier="uid"/>`);
