#include "pipelineproperties.h"

#include <colours.h>
#include <pipelinecommands.h>
#include <pipelinedocument.h>
#include <shellline.h>

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QUndoStack>
#include <QVBoxLayout>

namespace Spawnscope::Ui {

PipelineProperties::PipelineProperties(PipelineDocument *document, QWidget *parent)
    : QWidget(parent)
    , m_document(document)
    , m_policy(new QComboBox)
    , m_capacity(new QSpinBox)
    , m_line(new QLineEdit)
    , m_copy(new QPushButton(tr("Copy as Shell Line")))
    , m_reason(new QLabel)
{
    auto *outer = new QVBoxLayout(this);
    auto *heading = new QLabel(tr("Pipeline"));
    QFont bold = heading->font();
    bold.setBold(true);
    heading->setFont(bold);
    outer->addWidget(heading);
    auto *form = new QFormLayout;
    form->setRowWrapPolicy(QFormLayout::WrapLongRows);
    outer->addLayout(form);
    m_policy->addItem(tr("the last failure (pipefail)"), int(StatusPolicy::Pipefail));
    m_policy->setItemData(0, tr("The last failure's status, as bash -o pipefail"), Qt::ToolTipRole);
    m_policy->addItem(tr("the last stage's (sh)"), int(StatusPolicy::Last));
    m_policy->setItemData(1, tr("The last stage's status, as sh"), Qt::ToolTipRole);
    m_policy->addItem(tr("the first failure"), int(StatusPolicy::All));
    m_policy->setItemData(2, tr("The first failure's status: 0 only when every stage succeeded"), Qt::ToolTipRole);
    m_policy->setToolTip(tr("How the run's status is chosen from its stages'"));
    m_policy->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_policy->setMinimumContentsLength(10);
    form->addRow(tr("Its &status is"), m_policy);
    m_capacity->setRange(0, 1024 * 1024);
    m_capacity->setSuffix(tr(" KiB"));
    m_capacity->setSpecialValueText(tr("default (64 KiB)"));
    m_capacity->setSingleStep(64);
    m_capacity->setToolTip(tr("What each pipe between stages holds. More than the default changes when writers block, so statuses may differ from the shell's."));
    form->addRow(tr("&Pipe capacity"), m_capacity);
    m_line->setReadOnly(true);
    form->addRow(tr("Shell &line"), m_line);
    outer->addWidget(m_copy);
    m_reason->setWordWrap(true);
    outer->addWidget(m_reason);
    outer->addStretch(1);
    connect(m_policy, &QComboBox::activated, this, &PipelineProperties::commit);
    connect(m_capacity, &QSpinBox::editingFinished, this, &PipelineProperties::commit);
    connect(m_copy, &QPushButton::clicked, this, [this] {
        QApplication::clipboard()->setText(m_line->text());
        Q_EMIT copied(m_line->text());
    });
    // Once for a burst of changes (a paste of 500 stages is 1,000 signals), when the loop is free.
    m_refreshLater.setSingleShot(true);
    m_refreshLater.setInterval(0);
    connect(&m_refreshLater, &QTimer::timeout, this, &PipelineProperties::refresh);
    auto later = [this] { m_refreshLater.start(); };
    Pipeline *p = document->pipeline();
    for (auto signal : {&Pipeline::stageAdded, &Pipeline::stageChanged, &Pipeline::stageRemoved})
        connect(p, signal, this, later);
    connect(p, &Pipeline::edgeAdded, this, later);
    connect(p, &Pipeline::edgeRemoved, this, later);
    connect(p, &Pipeline::propertiesChanged, this, later);
    connect(p, &Pipeline::reset, this, later);
    refresh();
}

void PipelineProperties::refresh()
{
    m_loading = true;
    const PipelineSpec &spec = m_document->spec();
    m_policy->setCurrentIndex(m_policy->findData(int(spec.policy)));
    m_capacity->setValue(spec.pipeCapacity / 1024);
    QString why;
    const auto line = spec.stages.isEmpty() ? std::nullopt : m_document->shellLine(&why);
    if (spec.stages.isEmpty())
        why = tr("there are no stages yet");
    m_line->setText(line ? ShellLine::forTerminal(*line) : QString());
    m_line->setPlaceholderText(line ? QString() : tr("none"));
    m_copy->setEnabled(line.has_value());
    m_copy->setToolTip(line ? tr("Copy it to paste into a terminal") : tr("No shell line: %1").arg(why));
    m_reason->setText(line ? QString() : tr("No shell line: %1.").arg(why));
    m_reason->setStyleSheet(QStringLiteral("color: %1").arg(palette().color(QPalette::PlaceholderText).name()));
    m_loading = false;
}

void PipelineProperties::setLocked(bool locked)
{
    for (QWidget *w : std::initializer_list<QWidget *>{m_policy, m_capacity}) {
        if (!w->property("help").isValid())
            w->setProperty("help", w->toolTip());
        w->setEnabled(!locked);
        w->setToolTip(locked ? tr("Running: Stop to edit") : w->property("help").toString());
    }
}

void PipelineProperties::commit()
{
    if (m_loading)
        return;
    const StatusPolicy policy = StatusPolicy(m_policy->currentData().toInt());
    const PipelineSpec &spec = m_document->spec();
    // The box counts KiB: a capacity it did not change stays as the file has it, to the byte.
    const int capacity = m_capacity->value() == spec.pipeCapacity / 1024 ? spec.pipeCapacity : m_capacity->value() * 1024;
    if (policy == spec.policy && capacity == spec.pipeCapacity)
        return;
    m_document->undoStack()->push(new PipelinePropertiesCommand(m_document, policy, capacity));
}

} // namespace Spawnscope::Ui
