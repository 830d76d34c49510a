#pragma once

#include <pipeline.h>
#include <pipelinelayout.h>

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointF>
#include <QString>

class QUndoStack;

namespace Spawnscope {

// A pipeline being drawn, without a widget: the graph (the core's Pipeline, which keeps it
// valid), where each stage and note sits, the file it comes from, whether it is saved, and its
// undo history. A user's every change is a command on undoStack() that touches only this model
// (pipelinecommands.h); views follow the signals.
class PipelineDocument : public QObject
{
    Q_OBJECT
public:
    struct Note
    {
        int id = 0;
        QPointF position;
        QString text;
        friend bool operator==(const Note &, const Note &) = default;
    };
    // Something that keeps the pipeline from running, about one stage (0: the whole).
    struct Problem
    {
        int stage = 0;
        QString text;
        friend bool operator==(const Problem &, const Problem &) = default;
    };

    explicit PipelineDocument(QObject *parent = nullptr);
    ~PipelineDocument() override;

    Pipeline *pipeline() const { return m_pipeline; }
    const PipelineSpec &spec() const { return m_pipeline->spec(); }
    QUndoStack *undoStack() const { return m_undo; }

    // Top-left of a stage's node; a stage without a place is laid out beside the others.
    QPointF position(int stage) const { return m_positions.value(stage); }
    bool hasPosition(int stage) const { return m_positions.contains(stage); }
    void setPosition(int stage, const QPointF &at);
    void removePosition(int stage);
    QHash<int, QPointF> positions() const { return m_positions; }

    QList<Note> notes() const;
    Note note(int id) const { return m_notes.value(id); }
    bool hasNote(int id) const { return m_notes.contains(id); }
    int nextNoteId() const { return m_nextNote; }
    void putNote(const Note &note); // adds or changes, by its id
    void removeNote(int id);

    // The document as a file would hold it: the graph, places and notes in `layout`.
    PipelineSpec toSpec() const;
    // A new document from a spec (a file, a pasted line): places from its layout, the rest laid
    // out; the undo history starts afresh and it counts as saved.
    void setSpec(const PipelineSpec &spec);
    void clear();
    bool load(const QString &path, QString *error); // on an error nothing changes
    bool save(const QString &path, QString *error);
    QString path() const { return m_path; }
    // The file's name, or "Untitled" (or the name set for it); what a window's title and tab say.
    QString title() const;
    // What an unsaved document is called ("Untitled 2"), so that two of them can be told apart.
    void setUntitledName(const QString &name);
    bool isModified() const;

    // What keeps it from running: a program that is not found, a directory or an input file
    // that is not there; then whatever the core refuses. Empty: it can run.
    QList<Problem> problems() const;
    // The shell line it is, or nullopt and why not ("... fans out to two files").
    std::optional<QString> shellLine(QString *why) const;
    // Places for `stages` (all when empty) by the layered layout, the others' kept.
    QHash<int, QPointF> laidOut(const QList<int> &stages = {}) const;

    static constexpr double NodeWidth = 190;
    static constexpr double NodeHeight = 74;
    // Room between laid-out nodes: a wire's label (bytes, lines, rate) fits between two columns.
    static PipelineLayout::Options layoutOptions();

Q_SIGNALS:
    // Once per change of one stage's place.
    void positionChanged(int stage);
    // Once per note added, changed or removed.
    void noteChanged(int id);
    void noteRemoved(int id);
    // When it becomes modified or saved again (the undo stack's clean state).
    void modifiedChanged(bool modified);
    // After load(), save() to another file, and clear().
    void pathChanged(const QString &path);
    // After setSpec(), load() and clear(): everything is new.
    void reset();

private:
    Pipeline *m_pipeline;
    QUndoStack *m_undo;
    QHash<int, QPointF> m_positions;
    QMap<int, Note> m_notes;
    int m_nextNote = 1;
    QString m_path;
    QString m_untitled = QStringLiteral("Untitled");
};

} // namespace Spawnscope
