#include "pipelinedocument.h"

#include <pipelinelayout.h>
#include <shellline.h>

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QProcessEnvironment>
#include <QStandardPaths>
#include <QUndoStack>

namespace Spawnscope {

namespace {

const QString kNotes = QStringLiteral("notes");

QString displayOf(const PipelineSpec &spec, int id)
{
    return QStringLiteral("%1 (stage %2)").arg(spec.stages.value(id).displayName()).arg(id);
}

// Where a stage's program is found, as the launcher looks: a path as it is, a bare name in PATH.
bool programFound(const StageSpec &s)
{
    if (s.program.contains(QLatin1Char('/'))) {
        const QFileInfo file(s.cwd.isEmpty() || QDir::isAbsolutePath(s.program) ? s.program : QDir(s.cwd).filePath(s.program));
        return file.isFile() && file.isExecutable();
    }
    const QString path = s.env.value(QStringLiteral("PATH"), QProcessEnvironment::systemEnvironment().value(QStringLiteral("PATH")));
    return !QStandardPaths::findExecutable(s.program, path.split(QLatin1Char(':'), Qt::SkipEmptyParts)).isEmpty();
}

} // namespace

PipelineDocument::PipelineDocument(QObject *parent)
    : QObject(parent)
    , m_pipeline(new Pipeline(this))
    , m_undo(new QUndoStack(this))
{
    connect(m_undo, &QUndoStack::cleanChanged, this, [this](bool clean) { Q_EMIT modifiedChanged(!clean); });
}

PipelineDocument::~PipelineDocument() = default;

void PipelineDocument::setPosition(int stage, const QPointF &at)
{
    if (m_positions.value(stage, QPointF(qQNaN(), qQNaN())) == at)
        return;
    m_positions.insert(stage, at);
    Q_EMIT positionChanged(stage);
}

void PipelineDocument::removePosition(int stage)
{
    m_positions.remove(stage);
}

QList<PipelineDocument::Note> PipelineDocument::notes() const
{
    return m_notes.values();
}

void PipelineDocument::putNote(const Note &note)
{
    if (m_notes.value(note.id, Note{-1, {}, {}}) == note)
        return;
    m_notes.insert(note.id, note);
    m_nextNote = std::max(m_nextNote, note.id + 1);
    Q_EMIT noteChanged(note.id);
}

void PipelineDocument::removeNote(int id)
{
    if (m_notes.remove(id))
        Q_EMIT noteRemoved(id);
}

PipelineSpec PipelineDocument::toSpec() const
{
    PipelineSpec spec = m_pipeline->spec();
    // The layout keeps what other editors put there; places and notes are ours.
    QJsonObject layout = spec.layout;
    for (auto it = spec.stages.cbegin(); it != spec.stages.cend(); ++it) {
        if (m_positions.contains(it.key())) {
            const QPointF at = m_positions.value(it.key());
            layout.insert(QString::number(it.key()), QJsonObject{{QStringLiteral("x"), at.x()}, {QStringLiteral("y"), at.y()}});
        }
    }
    QJsonArray notes;
    for (const Note &n : m_notes)
        notes.append(QJsonObject{{QStringLiteral("id"), n.id}, {QStringLiteral("x"), n.position.x()}, {QStringLiteral("y"), n.position.y()},
                                 {QStringLiteral("text"), n.text}});
    if (notes.isEmpty())
        layout.remove(kNotes);
    else
        layout.insert(kNotes, notes);
    spec.layout = layout;
    return spec;
}

void PipelineDocument::setSpec(const PipelineSpec &spec)
{
    m_positions.clear();
    m_notes.clear();
    m_nextNote = 1;
    QList<int> unplaced;
    for (auto it = spec.stages.cbegin(); it != spec.stages.cend(); ++it) {
        const QJsonObject at = spec.layout.value(QString::number(it.key())).toObject();
        if (at.value(QStringLiteral("x")).isDouble() && at.value(QStringLiteral("y")).isDouble())
            m_positions.insert(it.key(), QPointF(at.value(QStringLiteral("x")).toDouble(), at.value(QStringLiteral("y")).toDouble()));
        else
            unplaced << it.key();
    }
    for (const QJsonValue &v : spec.layout.value(kNotes).toArray()) {
        const QJsonObject o = v.toObject();
        Note n{o.value(QStringLiteral("id")).toInt(m_nextNote), QPointF(o.value(QStringLiteral("x")).toDouble(), o.value(QStringLiteral("y")).toDouble()),
               o.value(QStringLiteral("text")).toString()};
        if (n.id <= 0 || m_notes.contains(n.id))
            n.id = m_nextNote;
        m_notes.insert(n.id, n);
        m_nextNote = std::max(m_nextNote, n.id + 1);
    }
    m_pipeline->setSpec(spec);
    // A file without places (hand-written, or from `run --save`) is laid out as it loads.
    if (!unplaced.isEmpty()) {
        const QHash<int, QPointF> placed = laidOut(unplaced);
        for (int id : unplaced)
            m_positions.insert(id, placed.value(id));
    }
    m_undo->clear();
    m_undo->setClean();
    Q_EMIT reset();
    Q_EMIT modifiedChanged(false);
}

void PipelineDocument::clear()
{
    setSpec(PipelineSpec());
    if (!m_path.isEmpty()) {
        m_path.clear();
        Q_EMIT pathChanged(m_path);
    }
}

bool PipelineDocument::load(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("%1: %2").arg(path, file.errorString());
        return false;
    }
    QString why;
    const auto spec = PipelineSpec::fromJson(file.readAll(), &why);
    if (!spec) {
        *error = QStringLiteral("%1: %2").arg(QFileInfo(path).fileName(), why);
        return false;
    }
    setSpec(*spec);
    m_path = QFileInfo(path).absoluteFilePath();
    Q_EMIT pathChanged(m_path);
    return true;
}

bool PipelineDocument::save(const QString &path, QString *error)
{
    Pipeline writer;
    writer.setSpec(toSpec());
    if (!writer.saveFile(path, error))
        return false;
    m_undo->setClean();
    const QString absolute = QFileInfo(path).absoluteFilePath();
    if (absolute != m_path) {
        m_path = absolute;
        Q_EMIT pathChanged(m_path);
    }
    return true;
}

QString PipelineDocument::title() const
{
    return m_path.isEmpty() ? m_untitled : QFileInfo(m_path).fileName();
}

void PipelineDocument::setUntitledName(const QString &name)
{
    m_untitled = name;
}

bool PipelineDocument::isModified() const
{
    return !m_undo->isClean();
}

QList<PipelineDocument::Problem> PipelineDocument::problems() const
{
    QList<Problem> out;
    const PipelineSpec &spec = m_pipeline->spec();
    if (spec.stages.isEmpty())
        return {Problem{0, QStringLiteral("Nothing to run yet: add a stage from the palette, or paste a shell line")}};
    for (auto it = spec.stages.cbegin(); it != spec.stages.cend(); ++it) {
        const StageSpec &s = it.value();
        const int id = it.key();
        const QString who = displayOf(spec, id);
        const QString base = s.cwd.isEmpty() ? QDir::currentPath() : s.cwd;
        auto missing = [&](const QString &file) { return !file.isEmpty() && !QFileInfo::exists(QDir(base).filePath(file)); };
        if (!s.cwd.isEmpty() && !QFileInfo(s.cwd).isDir())
            out << Problem{id, QStringLiteral("%1: the directory %2 does not exist").arg(who, s.cwd)};
        switch (s.mode) {
        case StageSpec::Mode::ReadFile:
            if (s.stdinFile.trimmed().isEmpty())
                out << Problem{id, QStringLiteral("%1: name the file to read").arg(who)};
            else if (missing(s.stdinFile))
                out << Problem{id, QStringLiteral("%1: the file %2 does not exist").arg(who, s.stdinFile)};
            if (spec.edgesFrom(id).isEmpty())
                out << Problem{id, QStringLiteral("%1: nothing reads it; wire its output to a stage").arg(who)};
            break;
        case StageSpec::Mode::WriteFile:
            if (!s.stdoutFile.isSet())
                out << Problem{id, QStringLiteral("%1: name the file to write").arg(who)};
            else if (!QFileInfo(QFileInfo(QDir(base).filePath(s.stdoutFile.path)).path()).isDir())
                out << Problem{id, QStringLiteral("%1: the folder of %2 does not exist").arg(who, s.stdoutFile.path)};
            if (spec.edgesTo(id).isEmpty())
                out << Problem{id, QStringLiteral("%1: nothing writes to it; wire a stage's output into it").arg(who)};
            break;
        case StageSpec::Mode::Exec:
            if (s.command.trimmed().isEmpty())
                out << Problem{id, QStringLiteral("%1: the command is empty").arg(who)};
            break;
        default:
            if (s.program.trimmed().isEmpty())
                out << Problem{id, QStringLiteral("stage %1: the program is empty").arg(id)};
            else if (s.mode != StageSpec::Mode::Fork && !programFound(s))
                out << Problem{id, QStringLiteral("%1: the program %2 is not found%3").arg(who, s.program,
                                                                                          s.program.contains(QLatin1Char('/')) ? QString() : QStringLiteral(" in PATH"))};
            if (missing(s.stdinFile))
                out << Problem{id, QStringLiteral("%1: its input file %2 does not exist").arg(who, s.stdinFile)};
            break;
        }
    }
    if (out.isEmpty()) {
        if (const QString why = spec.problem(); !why.isEmpty())
            out << Problem{0, why};
    }
    return out;
}

std::optional<QString> PipelineDocument::shellLine(QString *why) const
{
    return ShellLine::format(m_pipeline->spec(), why);
}

PipelineLayout::Options PipelineDocument::layoutOptions()
{
    PipelineLayout::Options o;
    o.columnWidth = NodeWidth + 170;
    o.rowHeight = NodeHeight + 56;
    return o;
}

QHash<int, QPointF> PipelineDocument::laidOut(const QList<int> &stages) const
{
    const PipelineLayout::Options o = layoutOptions();
    const PipelineSpec &spec = m_pipeline->spec();
    QHash<int, QPointF> all = PipelineLayout::compute(spec, o);
    if (stages.isEmpty() || stages.size() == spec.stages.size())
        return all;
    // Only some: laid out among themselves, below what is placed already.
    PipelineSpec part;
    for (int id : stages)
        part.stages.insert(id, spec.stages.value(id));
    for (const Edge &e : spec.edges) {
        if (part.stages.contains(e.id.from) && part.stages.contains(e.id.to))
            part.edges.append(e);
    }
    double below = 0;
    double left = 0;
    bool any = false;
    for (auto it = m_positions.cbegin(); it != m_positions.cend(); ++it) {
        if (stages.contains(it.key()))
            continue;
        below = any ? std::max(below, it->y() + NodeHeight + 60) : it->y() + NodeHeight + 60;
        left = any ? std::min(left, it->x()) : it->x();
        any = true;
    }
    QHash<int, QPointF> out = PipelineLayout::compute(part, o);
    for (QPointF &at : out)
        at += QPointF(left, below);
    return out;
}

} // namespace Spawnscope
