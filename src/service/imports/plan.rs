//! What an import would do: each row of the file matched against what the store holds (people
//! by e-mail, or by name where a tool writes no e-mail; clients and projects by name; tasks by
//! title within their project), the records it would create, the rows imported before (skipped),
//! and every row it cannot take with its line and why. Reads only: a dry run is this and no more.

use std::collections::{BTreeMap, HashMap};

use chrono_tz::Tz;

use crate::domain::approval::weeks_of_entry;
use crate::domain::range;
use crate::domain::tracking::{self, Client, Project, Task, TaskStatus};
use crate::domain::user::{DisplayName, Email, TimeZone, User};
use crate::domain::{ClientId, EntryId, ProjectId, Role, TaskId, UserId};
use crate::import::{ImportRow, RowError};
use crate::service::{Result, Services};
use crate::store::prelude::*;
use crate::store::source_key;

/// The project of rows that name none.
pub const NO_PROJECT: &str = "No project";

/// An entry to create, with everything it refers to resolved to an id (existing or new).
#[derive(Debug, Clone)]
pub struct NewEntry {
    pub key: [u8; 32],
    pub entry: tracking::Entry,
    /// The owner's zone, for their weeks.
    pub tz: Tz,
}

/// Everything an import would write, in the order it is written.
#[derive(Debug, Default)]
pub struct Plan {
    /// People to create, disabled (no password, no sign-in until an admin enables them).
    pub new_users: Vec<User>,
    pub new_clients: Vec<Client>,
    pub new_projects: Vec<Project>,
    /// Existing projects with people added as members (before, after).
    pub joined: Vec<(Project, Project)>,
    pub new_tasks: Vec<Task>,
    /// Tags no entry carries yet.
    pub new_tags: Vec<String>,
    /// People matched to existing accounts, by e-mail (or name).
    pub matched_users: Vec<String>,
    pub entries: Vec<NewEntry>,
    /// Rows imported before (by source id): skipped.
    pub already: usize,
    pub errors: Vec<RowError>,
    /// The `projects` stamp the plan read: the write checks nothing changed since.
    pub projects_stamp: u64,
    /// Every project's and person's name (old and new), for the report.
    pub project_names: HashMap<ProjectId, String>,
    pub user_names: HashMap<UserId, String>,
}

/// Who every row belongs to when the import names one person (`--user`).
pub enum Owner {
    PerRow,
    Everyone(User),
}

/// The state of the matching while the rows are walked.
struct Resolver<'a> {
    svc: &'a Services,
    now: i64,
    tz: Tz,
    users: Vec<User>,
    by_email: HashMap<String, usize>,
    clients: Vec<Client>,
    projects: Vec<Project>,
    tasks: Vec<Task>,
    /// Indexes of records that are new (created by this import).
    first_new_user: usize,
    first_new_client: usize,
    first_new_project: usize,
    first_new_task: usize,
    /// Projects (index) and the people (ids) to add as members.
    members: BTreeMap<usize, Vec<UserId>>,
    locked: HashMap<UserId, std::collections::HashSet<chrono::NaiveDate>>,
}

fn err(line: usize, message: impl Into<String>) -> RowError {
    RowError {
        line,
        message: message.into(),
    }
}

/// The first problem of a domain check, as a row's message ("note: at most 2000 characters").
fn first(e: crate::domain::DomainError) -> String {
    (e.0.into_iter().next())
        .map(|f| format!("{}: {}", f.field, f.message))
        .unwrap_or_else(|| "invalid".into())
}

/// Plans `rows` (parsed from a file whose own bad rows are `errors`) in zone `tz`.
pub fn plan(
    svc: &Services,
    rows: Vec<ImportRow>,
    mut errors: Vec<RowError>,
    tz: Tz,
    owner: &Owner,
) -> Result<Plan> {
    let store = svc.store();
    let projects_stamp = store.projects_stamp()?;
    let users = store.all_users()?;
    let by_email = (users.iter().enumerate())
        .map(|(i, u)| (u.email.as_str().to_lowercase(), i))
        .collect();
    let clients = store.clients()?;
    let projects = store.projects()?;
    let tasks = store.all_tasks()?;
    let mut locked: HashMap<UserId, std::collections::HashSet<chrono::NaiveDate>> = HashMap::new();
    for w in store.weeks_where(|w| w.state.is_locked())? {
        locked.entry(w.user_id).or_default().insert(w.monday);
    }
    let mut r = Resolver {
        svc,
        now: svc.now_ms(),
        tz,
        first_new_user: users.len(),
        first_new_client: clients.len(),
        first_new_project: projects.len(),
        first_new_task: tasks.len(),
        users,
        by_email,
        clients,
        projects,
        tasks,
        members: BTreeMap::new(),
        locked,
    };
    let mut plan = Plan {
        projects_stamp,
        ..Plan::default()
    };
    let mut matched = std::collections::BTreeSet::new();
    for row in rows {
        match r.entry(&row, owner, &mut matched) {
            Ok(Some(e)) => plan.entries.push(e),
            Ok(None) => plan.already += 1,
            Err(message) => errors.push(err(row.line, message)),
        }
    }
    errors.sort_by_key(|e| e.line);
    plan.errors = errors;
    plan.matched_users = matched.into_iter().collect();
    r.finish(&mut plan);
    Ok(plan)
}

impl Resolver<'_> {
    /// The entry a row becomes; `None` when it was imported before.
    fn entry(
        &mut self,
        row: &ImportRow,
        owner: &Owner,
        matched: &mut std::collections::BTreeSet<String>,
    ) -> std::result::Result<Option<NewEntry>, String> {
        let key = source_key(&row.source_id);
        if self
            .svc
            .store()
            .imported(&key)
            .map_err(|e| e.to_string())?
            .is_some()
        {
            return Ok(None);
        }
        let settings = &self.svc.settings().tracking;
        range::finished(row.start_ms, row.end_ms, self.now, settings).map_err(first)?;
        let note = tracking::text("note", &row.note, 2000).map_err(first)?;
        let tags = tracking::tags(&row.tags).map_err(first)?;
        let user = self.person(row, owner, matched)?;
        let (user_id, tz) = (self.users[user].id, self.users[user].time_zone.tz());
        let project = self.project(row)?;
        let task = match &row.task {
            Some(t) => Some(self.task(project, t)?),
            None => None,
        };
        if let Some(week) = self.locked_week(user_id, tz, row) {
            return Err(format!(
                "the week of {week} is approved or locked for this person"
            ));
        }
        let p = &self.projects[project];
        if !p.has_member(user_id) {
            let list = self.members.entry(project).or_default();
            if !list.contains(&user_id) {
                list.push(user_id);
            }
        }
        Ok(Some(NewEntry {
            key,
            tz,
            entry: tracking::Entry {
                id: EntryId::new(row.start_ms),
                user_id,
                project_id: p.id,
                task_id: task.map(|t| self.tasks[t].id),
                tags,
                note,
                start_ms: row.start_ms,
                end_ms: Some(row.end_ms),
                billable: row.billable,
                rate_cents: p.rate_cents,
                currency: p.currency.clone(),
                created_at_ms: self.now,
                updated_at_ms: self.now,
            },
        }))
    }

    /// The person a row belongs to: by e-mail (an unknown one is created, disabled), else by
    /// display name among existing people.
    fn person(
        &mut self,
        row: &ImportRow,
        owner: &Owner,
        matched: &mut std::collections::BTreeSet<String>,
    ) -> std::result::Result<usize, String> {
        if let Owner::Everyone(u) = owner {
            return (self.users.iter().position(|x| x.id == u.id))
                .ok_or_else(|| "the person to import for no longer exists".to_owned());
        }
        if let Some(email) = &row.user_email {
            if let Some(&i) = self.by_email.get(email) {
                if i < self.first_new_user {
                    let u = &self.users[i];
                    matched.insert(format!("{} <{}>", u.name.as_str(), u.email.as_str()));
                }
                return Ok(i);
            }
            let parsed = Email::parse(email)
                .map_err(|_| format!("e-mail: {email:?} is not an e-mail address"))?;
            let local = email.split('@').next().unwrap_or(email);
            let name = (row.user_name.as_deref())
                .and_then(|n| DisplayName::parse(n).ok())
                .or_else(|| DisplayName::parse(local).ok())
                .ok_or_else(|| format!("user: no usable name for {email}"))?;
            let zone = TimeZone::parse(self.tz.name()).map_err(first)?;
            self.users.push(User {
                id: UserId::new(self.now),
                email: parsed,
                name,
                role: Role::Member,
                time_zone: zone,
                disabled: true,
                created_at_ms: self.now,
                updated_at_ms: self.now,
                last_login_at_ms: None,
                disabled_at_ms: Some(self.now),
                client_id: None,
            });
            self.by_email.insert(email.clone(), self.users.len() - 1);
            return Ok(self.users.len() - 1);
        }
        let Some(name) = row
            .user_name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
        else {
            return Err(
                "the row names no person: import the file for one person (All rows \
                        belong to, or --user)"
                    .into(),
            );
        };
        let found: Vec<usize> = (0..self.users.len())
            .filter(|&i| self.users[i].name.as_str().eq_ignore_ascii_case(name))
            .collect();
        match found.as_slice() {
            [i] => {
                let u = &self.users[*i];
                matched.insert(format!("{} <{}>", u.name.as_str(), u.email.as_str()));
                Ok(*i)
            }
            [] => Err(format!(
                "user: no one is named {name:?} and the file gives no e-mail address: add the \
                 person first, or import the file for one person (All rows belong to, or --user)"
            )),
            _ => Err(format!(
                "user: more than one person is named {name:?}: import the file for one person \
                 (All rows belong to, or --user)"
            )),
        }
    }

    /// The project a row names (by name, any letter case), created with its client if new.
    fn project(&mut self, row: &ImportRow) -> std::result::Result<usize, String> {
        let name = row.project.as_deref().unwrap_or(NO_PROJECT);
        let name = tracking::name("project", name).map_err(first)?;
        if let Some(i) = (self.projects.iter()).position(|p| p.name.eq_ignore_ascii_case(&name)) {
            return Ok(i);
        }
        let client = match &row.client {
            Some(c) => Some(self.client(c)?),
            None => None,
        };
        self.projects.push(Project {
            id: ProjectId::new(self.now),
            name,
            client_id: client.map(|c| self.clients[c].id),
            color: "#2f6fde".into(),
            billable: row.billable,
            rate_cents: None,
            currency: "EUR".into(),
            members: Vec::new(),
            managers: Vec::new(),
            archived: false,
            created_at_ms: self.now,
            rates: Vec::new(),
            rounding: None,
            budget: None,
        });
        Ok(self.projects.len() - 1)
    }

    fn client(&mut self, name: &str) -> std::result::Result<usize, String> {
        let name = tracking::name("client", name).map_err(first)?;
        if let Some(i) = (self.clients.iter()).position(|c| c.name.eq_ignore_ascii_case(&name)) {
            return Ok(i);
        }
        self.clients.push(Client {
            id: ClientId::new(self.now),
            name,
            notes: String::new(),
            archived: false,
            created_at_ms: self.now,
        });
        Ok(self.clients.len() - 1)
    }

    /// The task of `project` with this title (any letter case), created if new.
    fn task(&mut self, project: usize, title: &str) -> std::result::Result<usize, String> {
        let title = tracking::name("task", title).map_err(first)?;
        let pid = self.projects[project].id;
        if let Some(i) = (self.tasks.iter())
            .position(|t| t.project_id == pid && t.title.eq_ignore_ascii_case(&title))
        {
            return Ok(i);
        }
        self.tasks.push(Task {
            id: TaskId::new(self.now),
            project_id: pid,
            title,
            description: String::new(),
            status: TaskStatus::Open,
            assignee: None,
            estimate_secs: None,
            comments: Vec::new(),
            archived: false,
            created_at_ms: self.now,
            updated_at_ms: self.now,
        });
        Ok(self.tasks.len() - 1)
    }

    /// A week the row touches that is approved or locked for `user`.
    fn locked_week(&self, user: UserId, tz: Tz, row: &ImportRow) -> Option<chrono::NaiveDate> {
        let locked = self.locked.get(&user)?;
        weeks_of_entry(row.start_ms, Some(row.end_ms), tz)
            .into_iter()
            .find(|m| locked.contains(m))
    }

    /// Moves what is new into the plan.
    fn finish(self, plan: &mut Plan) {
        plan.user_names = (self.users.iter())
            .map(|u| (u.id, u.name.as_str().to_owned()))
            .collect();
        plan.project_names = (self.projects.iter())
            .map(|p| (p.id, p.name.clone()))
            .collect();
        plan.new_users = self.users[self.first_new_user..].to_vec();
        plan.new_clients = self.clients[self.first_new_client..].to_vec();
        plan.new_tasks = self.tasks[self.first_new_task..].to_vec();
        let mut projects = self.projects;
        for (i, people) in &self.members {
            let before = projects[*i].clone();
            projects[*i].members.extend(people.iter().copied());
            if *i < self.first_new_project {
                plan.joined.push((before, projects[*i].clone()));
            }
        }
        plan.new_projects = projects[self.first_new_project..].to_vec();
        let known: std::collections::HashSet<String> = (self.svc.store().tags())
            .map(|t| t.into_iter().map(|t| t.name.to_lowercase()).collect())
            .unwrap_or_default();
        let mut new_tags: Vec<String> = (plan.entries.iter())
            .flat_map(|e| e.entry.tags.iter().cloned())
            .filter(|t| !known.contains(&t.to_lowercase()))
            .collect();
        new_tags.sort_by_key(|t| t.to_lowercase());
        new_tags.dedup_by_key(|t| t.to_lowercase());
        plan.new_tags = new_tags;
    }
}
